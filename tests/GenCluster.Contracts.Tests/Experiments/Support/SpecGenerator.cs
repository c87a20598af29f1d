using GenCluster.Contracts.Experiments;

namespace GenCluster.Contracts.Tests.Experiments.Support;

/// <summary>Random valid specs covering every field, with arbitrary double bit patterns where a range allows them.</summary>
internal sealed class SpecGenerator(int seed)
{
    private readonly Random _random = new(seed);

    public ExperimentSpec Next()
    {
        bool dcgan = _random.Next(2) == 0;
        var model = dcgan
            ? new ModelSpec("dcgan", _random.Next(1, 257), 28, 1, NetworkSpec.WithFeatureMaps(_random.Next(1, 129)), NetworkSpec.WithFeatureMaps(_random.Next(1, 129)))
            : new ModelSpec("mlp-gan", _random.Next(1, 257), 28, 1, NetworkSpec.WithWidths(Widths()), NetworkSpec.WithWidths(Widths()));

        var split = _random.Next(3) == 0 ? DatasetSplit.Test : DatasetSplit.Train;
        string location = _random.Next(3) switch
        {
            0 => "debian:fashion-mnist",
            1 => "/mnt/data/fashion-mnist",
            _ => "/srv/datasets/é/fashion mnist",
        };

        int worldSize = _random.Next(1, 9);
        int perWorker = _random.Next(2, 65);
        var devices = _random.Next(2) == 0
            ? null
            : ValueList.Create<DeviceAddress>(Enumerable.Range(0, worldSize)
                .Select(rank => new DeviceAddress($"silo-{(char)('a' + (rank % 3))}", rank % 2 == 0 ? DeviceKind.Cpu : DeviceKind.Cuda, rank))
                .ToArray());

        return new ExperimentSpec(
            $"exp-{_random.Next(1_000_000)}.{_random.Next(100)}_x",
            model,
            new DatasetSpec("fashion-mnist", location, split),
            worldSize * perWorker,
            _random.NextInt64(1, 1_000_000_001),
            new GanPair<OptimizerSpec>(Optimizer(), Optimizer()),
            worldSize,
            new GanPair<int>(_random.Next(1, 17), _random.Next(1, 17)),
            new CheckpointSpec(_random.NextInt64(0, 1_000_000_001), _random.Next(1, 1_001)),
            _random.NextInt64(0, long.MaxValue),
            _random.Next(1, 257),
            devices);
    }

    private int[] Widths() => Enumerable.Range(0, _random.Next(1, 5)).Select(_ => _random.Next(1, 513)).ToArray();

    private OptimizerSpec Optimizer()
    {
        double lr = Unit() + double.Epsilon;
        double weightDecay = _random.Next(3) == 0 ? 0 : Unit() / 100;
        if (_random.Next(2) == 0)
        {
            return OptimizerSpec.Adam(lr, Unit() * 0.999, Unit() * 0.999, Unit() * 1e-6, weightDecay);
        }

        double momentum = _random.Next(3) == 0 ? 0 : Unit();
        bool nesterov = momentum > 0 && _random.Next(2) == 0;
        return OptimizerSpec.Sgd(lr, momentum, nesterov ? 0 : Unit(), nesterov, weightDecay);
    }

    /// <summary>A double in [0, 1) with all 52 fraction bits random, so text round trips are tested on hard values.</summary>
    private double Unit() => (_random.NextInt64() >>> 11) * (1.0 / (1L << 53));
}
