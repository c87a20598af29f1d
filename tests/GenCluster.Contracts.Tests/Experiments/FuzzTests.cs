using GenCluster.Contracts.Experiments;
using GenCluster.Contracts.Tests.Experiments.Support;

namespace GenCluster.Contracts.Tests.Experiments;

/// <summary>
/// Mutated specs never make the loader throw anything but <see cref="ExperimentSpecException"/> with at least one
/// located error, and whatever it accepts is a valid spec that round-trips.
/// </summary>
public sealed class FuzzTests
{
    [Fact]
    public void Mutated_yaml_specs_fail_only_with_the_typed_error()
    {
        var seeds = Examples.YamlFileNames().Select(Examples.Text).ToList();
        var generator = new SpecGenerator(seed: 7);
        seeds.AddRange(Enumerable.Range(0, 20).Select(_ => ExperimentSpecWriter.ToJson(generator.Next())));

        var outcome = Fuzz(seeds, ExperimentSpecFormat.Yaml, count: 12_000, seed: 11);

        outcome.Rejected.Should().BeGreaterThan(6_000, "most mutations break a spec");
        outcome.Accepted.Should().BeGreaterThan(100, "some mutations (comments, spacing) leave it valid, and those must round-trip");
    }

    [Fact]
    public void Mutated_json_specs_fail_only_with_the_typed_error()
    {
        var generator = new SpecGenerator(seed: 8);
        var seeds = new List<string> { Examples.Text("fashion-mnist-dcgan.json") };
        seeds.AddRange(Enumerable.Range(0, 10).Select(_ => ExperimentSpecWriter.ToJson(generator.Next())));

        var outcome = Fuzz(seeds, ExperimentSpecFormat.Json, count: 4_000, seed: 12);

        outcome.Rejected.Should().BeGreaterThan(2_000);
        outcome.Accepted.Should().BeGreaterThan(10);
    }

    private static (int Accepted, int Rejected) Fuzz(List<string> seeds, ExperimentSpecFormat format, int count, int seed)
    {
        var mutator = new TextMutator(seed);
        var random = new Random(seed);
        int accepted = 0;
        int rejected = 0;
        for (int i = 0; i < count; i++)
        {
            string text = mutator.Mutate(seeds[random.Next(seeds.Count)]);
            ExperimentSpec spec;
            try
            {
                spec = ExperimentSpecLoader.Load(text, format);
            }
            catch (ExperimentSpecException e)
            {
                // Plain checks: an assertion library call per iteration would dominate the run time.
                if (e.Errors.Count == 0 || e.Errors.Any(error => error.Message.Length == 0 || error.Line < 0 || error.Column < 0))
                {
                    throw new InvalidOperationException($"{format} mutation {i} was rejected without a proper error list: {e.Message}\n{text}");
                }

                rejected++;
                continue;
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"{format} mutation {i} threw {e.GetType().Name} instead of ExperimentSpecException:\n{text}", e);
            }

            ExperimentSpecValidator.Validate(spec).Should().BeEmpty();
            ExperimentSpecLoader.Load(ExperimentSpecWriter.ToJson(spec), ExperimentSpecFormat.Json).Should().Be(spec, $"mutation {i} was accepted:\n{text}");
            accepted++;
        }

        return (accepted, rejected);
    }
}
