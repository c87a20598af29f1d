using GenCluster.Training.Quality;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GenCluster.Training.Tests.Quality;

public sealed class QualityServiceCollectionExtensionsTests
{
    [Fact]
    public void Registers_a_configured_singleton_evaluator_and_a_trainer()
    {
        using var services = new ServiceCollection()
            .AddQualityEvaluator(o => o.SampleCount = 321)
            .AddClassifierTrainer(o => o.Epochs = 3)
            .BuildServiceProvider();

        services.GetRequiredService<IOptions<QualityEvaluatorOptions>>().Value.SampleCount.Should().Be(321);
        services.GetRequiredService<QualityEvaluator>().Should().BeSameAs(services.GetRequiredService<QualityEvaluator>());
        services.GetRequiredService<IOptions<ClassifierTrainingOptions>>().Value.Epochs.Should().Be(3);
        services.GetRequiredService<ClassifierTrainer>().Should().NotBeNull();
    }

    [Fact]
    public void Invalid_options_fail_when_the_evaluator_is_resolved()
    {
        using var services = new ServiceCollection().AddQualityEvaluator(o => o.BatchSize = 0).BuildServiceProvider();
        var act = () => services.GetRequiredService<QualityEvaluator>();
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*BatchSize*");
    }
}
