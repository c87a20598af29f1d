using System.Collections.Concurrent;
using GenCluster.Datasets;
using GenCluster.Training.Grains.Hosting;
using Microsoft.Extensions.Options;

namespace GenCluster.Training.Grains.Data;

/// <summary>The data sets workers train on, loaded once per silo and shared by its workers (read-only).</summary>
internal sealed class TrainingDatasets
{
    private readonly ConcurrentDictionary<string, Lazy<FashionMnist>> _loaded = new(StringComparer.Ordinal);
    private readonly string? _directory;

    public TrainingDatasets(IOptions<TrainingGrainOptions> options)
    {
        _directory = options.Value.DatasetDirectory;
    }

    /// <summary>The split <paramref name="split"/> (<c>train</c> or <c>test</c>) of <paramref name="dataset"/>, loading it off the grain's thread.</summary>
    /// <exception cref="ArgumentException">An unknown data set or split.</exception>
    /// <exception cref="FileNotFoundException">The files are missing; the message says how to install them.</exception>
    public Task<FashionMnist> GetAsync(string dataset, string split)
    {
        if (dataset != "fashion-mnist")
        {
            throw new ArgumentException($"unknown data set '{dataset}' (this silo has fashion-mnist)", nameof(dataset));
        }

        var which = split switch
        {
            "train" => FashionMnistSplit.Train,
            "test" => FashionMnistSplit.Test,
            _ => throw new ArgumentException($"unknown split '{split}' of fashion-mnist (train, test)", nameof(split)),
        };

        var lazy = _loaded.GetOrAdd($"{dataset}:{split}", _ => new Lazy<FashionMnist>(() => new FashionMnist(which, _directory)));
        return lazy.IsValueCreated ? Task.FromResult(lazy.Value) : Task.Run(() => lazy.Value);
    }
}
