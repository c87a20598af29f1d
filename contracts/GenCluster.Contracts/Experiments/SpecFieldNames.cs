namespace GenCluster.Contracts.Experiments;

/// <summary>The keys and keyword values of spec text, shared by the reader, the validator's paths and the writer.</summary>
internal static class SpecFieldNames
{
    public const string Name = "name";
    public const string Model = "model";
    public const string Family = "family";
    public const string LatentDim = "latentDim";
    public const string ImageSize = "imageSize";
    public const string Channels = "channels";
    public const string Generator = "generator";
    public const string Discriminator = "discriminator";
    public const string FeatureMaps = "featureMaps";
    public const string Widths = "widths";
    public const string Dataset = "dataset";
    public const string DatasetName = "name";
    public const string Location = "location";
    public const string Split = "split";
    public const string BatchSize = "batchSize";
    public const string Steps = "steps";
    public const string Optimizer = "optimizer";
    public const string Type = "type";
    public const string Lr = "lr";
    public const string Betas = "betas";
    public const string Eps = "eps";
    public const string WeightDecay = "weightDecay";
    public const string Momentum = "momentum";
    public const string Dampening = "dampening";
    public const string Nesterov = "nesterov";
    public const string WorldSize = "worldSize";
    public const string Shards = "shards";
    public const string Checkpoints = "checkpoints";
    public const string Interval = "interval";
    public const string Keep = "keep";
    public const string Seed = "seed";
    public const string ThreadsPerWorker = "threadsPerWorker";
    public const string Devices = "devices";

    public const string Auto = "auto";
    public const string Adam = "adam";
    public const string Sgd = "sgd";
    public const string Train = "train";
    public const string Test = "test";

    public static string Of(OptimizerType type) => type == OptimizerType.Sgd ? Sgd : Adam;

    public static string Of(DatasetSplit split) => split == DatasetSplit.Test ? Test : Train;
}
