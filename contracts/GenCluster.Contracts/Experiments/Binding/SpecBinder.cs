using GenCluster.Contracts.Experiments.Documents;
using GenCluster.Contracts.Experiments.Families;
using F = GenCluster.Contracts.Experiments.SpecFieldNames;

namespace GenCluster.Contracts.Experiments.Binding;

/// <summary>
/// Turns a document tree into an <see cref="ExperimentSpec"/> with every default filled in. Wrong types, unknown keys
/// (with a "did you mean"), missing required fields and unknown keywords are recorded in <see cref="Errors"/> and
/// reading goes on with a placeholder, so one pass reports everything; the validator then skips the fields recorded
/// here. Errors carry the line and column of the node, or of the mapping that lacks a required key.
/// </summary>
internal sealed class SpecBinder
{
    private static readonly string[] s_rootKeys =
        [F.Name, F.Model, F.Dataset, F.BatchSize, F.Steps, F.Optimizer, F.WorldSize, F.Shards, F.Checkpoints, F.Seed, F.ThreadsPerWorker, F.Devices];

    private static readonly string[] s_modelKeys = [F.Family, F.LatentDim, F.ImageSize, F.Channels, F.Generator, F.Discriminator];
    private static readonly string[] s_networkKeys = [F.FeatureMaps, F.Widths];
    private static readonly string[] s_datasetKeys = [F.DatasetName, F.Location, F.Split];
    private static readonly string[] s_pairKeys = [F.Generator, F.Discriminator];
    private static readonly string[] s_optimizerKeys = [F.Type, F.Lr, F.Betas, F.Eps, F.WeightDecay, F.Momentum, F.Dampening, F.Nesterov];
    private static readonly string[] s_checkpointKeys = [F.Interval, F.Keep];

    private readonly Dictionary<string, SpecNode> _nodes = new(StringComparer.Ordinal);

    public SpecBinder()
    {
        Errors = new SpecErrorList(Locate);
    }

    /// <summary>Errors found so far; the validator adds its own.</summary>
    public SpecErrorList Errors { get; }

    /// <summary>Reads the spec in <paramref name="root"/>; check <see cref="Errors"/> before trusting the result.</summary>
    public ExperimentSpec Bind(SpecNode root)
    {
        var placeholder = ExperimentSpec.Create(string.Empty, ModelSpec.ForFamily(ModelFamilies.Dcgan));
        if (root is not SpecMapping mapping)
        {
            string found = root is SpecScalar { Kind: ScalarKind.Null } ? "the document is empty" : $"got {root.Description}";
            Errors.Unusable(string.Empty, $"a spec is a mapping of fields ({F.Name}: …, {F.Model}: …); {found}", root.Line, root.Column);
            return placeholder;
        }

        var section = new Section(this, mapping, string.Empty, s_rootKeys);
        string name = ReadString(section, F.Name, required: true) ?? placeholder.Name;
        var model = BindModel(section);
        var dataset = BindDataset(section);
        int batchSize = ReadInt(section, F.BatchSize) ?? ExperimentSpecDefaults.BatchSize;
        long steps = ReadLong(section, F.Steps) ?? ExperimentSpecDefaults.Steps;
        var optimizer = BindOptimizers(section);
        int worldSize = ReadInt(section, F.WorldSize) ?? ExperimentSpecDefaults.WorldSize;
        var shards = BindShards(section);
        var checkpoints = BindCheckpoints(section);
        long seed = ReadLong(section, F.Seed) ?? ExperimentSpecDefaults.Seed;
        int threads = ReadInt(section, F.ThreadsPerWorker) ?? ExperimentSpecDefaults.ThreadsPerWorker;
        var devices = BindDevices(section);
        section.RejectUnknownKeys();
        return new ExperimentSpec(name, model, dataset, batchSize, steps, optimizer, worldSize, shards, checkpoints, seed, threads, devices);
    }

    private ModelSpec BindModel(Section root)
    {
        var fallback = ModelSpec.ForFamily(ModelFamilies.Dcgan);
        var section = root.Nested(F.Model, s_modelKeys, required: true);
        if (section is null)
        {
            return fallback;
        }

        string familyPath = section.PathOf(F.Family);
        string? familyName = ReadString(section, F.Family, required: true);
        var family = ModelFamily.Find(familyName);
        if (familyName is not null && family is null)
        {
            var node = section.Node(F.Family)!;
            Errors.Unusable(familyPath, $"unknown model family '{Shorten(familyName)}'{KeySuggestions.Hint(familyName, ModelFamilies.Names)}; the families are {string.Join(", ", ModelFamilies.Names)}", node.Line, node.Column);
        }

        var defaults = family?.Defaults ?? fallback;
        int latentDim = ReadInt(section, F.LatentDim) ?? defaults.LatentDim;
        int imageSize = ReadInt(section, F.ImageSize) ?? defaults.ImageSize;
        int channels = ReadInt(section, F.Channels) ?? defaults.Channels;
        var generator = BindNetwork(section, F.Generator, family, generator: true);
        var discriminator = BindNetwork(section, F.Discriminator, family, generator: false);
        section.RejectUnknownKeys();
        return new ModelSpec(familyName ?? string.Empty, latentDim, imageSize, channels, generator, discriminator);
    }

    private NetworkSpec BindNetwork(Section model, string key, ModelFamily? family, bool generator)
    {
        var section = model.Nested(key, s_networkKeys, required: false);
        var network = NetworkSpec.Empty;
        if (section is not null)
        {
            int? featureMaps = ReadInt(section, F.FeatureMaps);
            ValueList<int>? widths = null;
            if (section.Take(F.Widths) is { } node)
            {
                widths = ReadIntList(node, section.PathOf(F.Widths));
            }

            section.RejectUnknownKeys();
            network = new NetworkSpec(featureMaps, widths);
        }

        return family?.WithDefaults(network, generator) ?? network;
    }

    private DatasetSpec BindDataset(Section root)
    {
        var section = root.Nested(F.Dataset, s_datasetKeys, required: false);
        if (section is null)
        {
            return DatasetSpec.Default;
        }

        string name = ReadString(section, F.DatasetName) ?? ExperimentSpecDefaults.DatasetName;
        string location = ReadString(section, F.Location) ?? DatasetSpec.DebianPrefix + name;
        var split = ReadKeyword(section, F.Split, [(F.Train, DatasetSplit.Train), (F.Test, DatasetSplit.Test)]) ?? ExperimentSpecDefaults.DatasetSplit;
        section.RejectUnknownKeys();
        return new DatasetSpec(name, location, split);
    }

    private GanPair<OptimizerSpec> BindOptimizers(Section root)
    {
        var section = root.Nested(F.Optimizer, s_pairKeys, required: false);
        if (section is null)
        {
            return new GanPair<OptimizerSpec>(OptimizerSpec.GanDefault, OptimizerSpec.GanDefault);
        }

        var generator = BindOptimizer(section, F.Generator);
        var discriminator = BindOptimizer(section, F.Discriminator);
        section.RejectUnknownKeys();
        return new GanPair<OptimizerSpec>(generator, discriminator);
    }

    private OptimizerSpec BindOptimizer(Section pair, string key)
    {
        var section = pair.Nested(key, s_optimizerKeys, required: false);
        if (section is null)
        {
            return OptimizerSpec.GanDefault;
        }

        var type = ReadKeyword(section, F.Type, [(F.Adam, OptimizerType.Adam), (F.Sgd, OptimizerType.Sgd)]) ?? OptimizerType.Adam;
        bool adam = type == OptimizerType.Adam;
        double? lr = ReadNumber(section, F.Lr);
        if (lr is null && !adam && section.Node(F.Lr) is null)
        {
            Errors.Unusable(section.PathOf(F.Lr), $"is required for {F.Sgd} (torch.optim.SGD has no default learning rate)", section.Mapping.Line, section.Mapping.Column);
        }

        double weightDecay = ReadNumber(section, F.WeightDecay) ?? 0;
        double? beta1 = null;
        double? beta2 = null;
        if (section.Take(F.Betas) is { } betasNode)
        {
            string path = section.PathOf(F.Betas);
            if (betasNode is SpecSequence { Items.Count: 2 } betas)
            {
                beta1 = ReadNumber(betas.Items[0], SpecPath.Item(path, 0));
                beta2 = ReadNumber(betas.Items[1], SpecPath.Item(path, 1));
            }
            else
            {
                string found = betasNode is SpecSequence list ? $"a list of {list.Items.Count}" : betasNode.Description;
                Errors.Unusable(path, $"must be a list of two numbers [beta1, beta2], e.g. [0.5, 0.999]; got {found}", betasNode.Line, betasNode.Column);
            }
        }

        double? eps = ReadNumber(section, F.Eps);
        double? momentum = ReadNumber(section, F.Momentum);
        double? dampening = ReadNumber(section, F.Dampening);
        bool? nesterov = ReadBool(section, F.Nesterov);
        section.RejectUnknownKeys();

        // Settings of the other algorithm are kept, so the validator can say they do not belong.
        return adam
            ? new OptimizerSpec(type, lr ?? ExperimentSpecDefaults.AdamLr, weightDecay,
                Beta1: beta1 ?? ExperimentSpecDefaults.AdamBeta1, Beta2: beta2 ?? ExperimentSpecDefaults.AdamBeta2, Eps: eps ?? ExperimentSpecDefaults.AdamEps,
                Momentum: momentum, Dampening: dampening, Nesterov: nesterov)
            : new OptimizerSpec(type, lr ?? ExperimentSpecDefaults.AdamLr, weightDecay,
                Beta1: beta1, Beta2: beta2, Eps: eps,
                Momentum: momentum ?? 0, Dampening: dampening ?? 0, Nesterov: nesterov ?? false);
    }

    private GanPair<int> BindShards(Section root)
    {
        var section = root.Nested(F.Shards, s_pairKeys, required: false);
        if (section is null)
        {
            return new GanPair<int>(ExperimentSpecDefaults.Shards, ExperimentSpecDefaults.Shards);
        }

        int generator = ReadInt(section, F.Generator) ?? ExperimentSpecDefaults.Shards;
        int discriminator = ReadInt(section, F.Discriminator) ?? ExperimentSpecDefaults.Shards;
        section.RejectUnknownKeys();
        return new GanPair<int>(generator, discriminator);
    }

    private CheckpointSpec BindCheckpoints(Section root)
    {
        var section = root.Nested(F.Checkpoints, s_checkpointKeys, required: false);
        if (section is null)
        {
            return CheckpointSpec.Default;
        }

        long interval = ReadLong(section, F.Interval) ?? ExperimentSpecDefaults.CheckpointInterval;
        int keep = ReadInt(section, F.Keep) ?? ExperimentSpecDefaults.CheckpointKeep;
        section.RejectUnknownKeys();
        return new CheckpointSpec(interval, keep);
    }

    private ValueList<DeviceAddress>? BindDevices(Section root)
    {
        if (root.Take(F.Devices) is not { } node)
        {
            return null;
        }

        string path = root.PathOf(F.Devices);
        if (node is SpecScalar { Kind: ScalarKind.String, Text: F.Auto })
        {
            return null;
        }

        if (node is not SpecSequence list)
        {
            Errors.Unusable(path, $"must be {F.Auto} or a list of devices (silo/kind:index, e.g. [silo-a/cpu:0, silo-b/cuda:1]); got {node.Description}", node.Line, node.Column);
            return null;
        }

        var devices = new DeviceAddress[list.Items.Count];
        for (int i = 0; i < devices.Length; i++)
        {
            string itemPath = SpecPath.Item(path, i);
            var item = list.Items[i];
            _nodes[itemPath] = item;
            if (item is not SpecScalar { Kind: ScalarKind.String } text)
            {
                Errors.Unusable(itemPath, $"must be a device string silo/kind:index, e.g. silo-a/cpu:0; got {item.Description}", item.Line, item.Column);
            }
            else if (!DeviceAddress.TryParse(text.Text, out var device, out var problem))
            {
                Errors.Unusable(itemPath, problem, item.Line, item.Column);
            }
            else
            {
                devices[i] = device;
            }
        }

        // Unreadable items stay null; they were reported, and the validator skips them.
        return ValueList.Create<DeviceAddress>(devices);
    }

    private string? ReadString(Section section, string key, bool required = false)
    {
        var node = section.Take(key);
        string path = section.PathOf(key);
        if (node is null)
        {
            if (required)
            {
                Errors.Unusable(path, "is required", section.Mapping.Line, section.Mapping.Column);
            }

            return null;
        }

        if (node is SpecScalar { Kind: ScalarKind.String } text)
        {
            return text.Text;
        }

        string hint = node is SpecScalar { Kind: not ScalarKind.Null } ? " (quote it to make it a string)" : NullHint(node);
        Errors.Unusable(path, $"must be a string; got {node.Description}{hint}", node.Line, node.Column);
        return null;
    }

    private T? ReadKeyword<T>(Section section, string key, (string Word, T Value)[] words)
        where T : struct
    {
        var node = section.Take(key);
        if (node is null)
        {
            return null;
        }

        string path = section.PathOf(key);
        var choices = words.Select(w => w.Word).ToList();
        if (node is SpecScalar { Kind: ScalarKind.String } text)
        {
            foreach (var (word, value) in words)
            {
                if (string.Equals(word, text.Text, StringComparison.Ordinal))
                {
                    return value;
                }
            }

            Errors.Unusable(path, $"unknown value '{Shorten(text.Text)}'{KeySuggestions.Hint(text.Text, choices)}; it must be one of {string.Join(", ", choices)}", node.Line, node.Column);
            return null;
        }

        Errors.Unusable(path, $"must be one of {string.Join(", ", choices)}; got {node.Description}", node.Line, node.Column);
        return null;
    }

    private int? ReadInt(Section section, string key) => section.Take(key) is { } node ? ReadInt(node, section.PathOf(key)) : null;

    private int? ReadInt(SpecNode node, string path)
    {
        long? value = ReadLong(node, path);
        if (value is null)
        {
            return null;
        }

        if (value is < int.MinValue or > int.MaxValue)
        {
            Errors.Unusable(path, $"{value:N0} is far out of range (it must fit in 32 bits)", node.Line, node.Column);
            return null;
        }

        return (int)value;
    }

    private long? ReadLong(Section section, string key) => section.Take(key) is { } node ? ReadLong(node, section.PathOf(key)) : null;

    private long? ReadLong(SpecNode node, string path)
    {
        if (node is SpecScalar { Kind: ScalarKind.Int } integer)
        {
            return integer.Int;
        }

        Errors.Unusable(path, $"must be a whole number; got {node.Description}{NullHint(node)}", node.Line, node.Column);
        return null;
    }

    private double? ReadNumber(Section section, string key) => section.Take(key) is { } node ? ReadNumber(node, section.PathOf(key)) : null;

    private double? ReadNumber(SpecNode node, string path)
    {
        switch (node)
        {
            case SpecScalar { Kind: ScalarKind.Int } integer:
                return integer.Int;
            case SpecScalar { Kind: ScalarKind.Float } number:
                return number.Float;
            default:
                Errors.Unusable(path, $"must be a number; got {node.Description}{NullHint(node)}", node.Line, node.Column);
                return null;
        }
    }

    private bool? ReadBool(Section section, string key)
    {
        var node = section.Take(key);
        if (node is null)
        {
            return null;
        }

        if (node is SpecScalar { Kind: ScalarKind.Bool } flag)
        {
            return flag.Bool;
        }

        Errors.Unusable(section.PathOf(key), $"must be true or false; got {node.Description}{NullHint(node)}", node.Line, node.Column);
        return null;
    }

    private ValueList<int>? ReadIntList(SpecNode node, string path)
    {
        if (node is not SpecSequence list)
        {
            Errors.Unusable(path, $"must be a list of whole numbers, e.g. [256, 512, 1024]; got {node.Description}", node.Line, node.Column);
            return null;
        }

        var values = new int[list.Items.Count];
        for (int i = 0; i < values.Length; i++)
        {
            string itemPath = SpecPath.Item(path, i);
            _nodes[itemPath] = list.Items[i];
            values[i] = ReadInt(list.Items[i], itemPath) ?? 1;
        }

        return ValueList.Create<int>(values);
    }

    private static string NullHint(SpecNode node) =>
        node is SpecScalar { Kind: ScalarKind.Null } ? " (leave the key out to use the default)" : string.Empty;

    /// <summary>Line and column of the field at <paramref name="path"/>, or of its nearest ancestor in the text.</summary>
    private (int Line, int Column) Locate(string path)
    {
        for (string current = path; current.Length > 0; current = Parent(current))
        {
            if (_nodes.TryGetValue(current, out var node))
            {
                return (node.Line, node.Column);
            }
        }

        return (0, 0);
    }

    private static string Parent(string path)
    {
        int cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut < 0 ? string.Empty : path[..cut];
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";

    /// <summary>One mapping of the spec: hands out its entries by key and reports the keys nobody asked for.</summary>
    private sealed class Section
    {
        private readonly SpecBinder _binder;
        private readonly IReadOnlyList<string> _keys;
        private readonly HashSet<string> _taken = new(StringComparer.Ordinal);

        public Section(SpecBinder binder, SpecMapping mapping, string path, IReadOnlyList<string> keys)
        {
            _binder = binder;
            Mapping = mapping;
            Path = path;
            _keys = keys;
        }

        public SpecMapping Mapping { get; }

        public string Path { get; }

        public string PathOf(string key) => SpecPath.Field(Path, key);

        /// <summary>The value of <paramref name="key"/>, or null when absent; marks the key as known.</summary>
        public SpecNode? Take(string key)
        {
            _taken.Add(key);
            var node = Node(key);
            if (node is not null)
            {
                _binder._nodes[PathOf(key)] = node;
            }

            return node;
        }

        public SpecNode? Node(string key)
        {
            foreach (var (k, v) in Mapping.Entries)
            {
                if (k.Kind == ScalarKind.String && string.Equals(k.Text, key, StringComparison.Ordinal))
                {
                    return v;
                }
            }

            return null;
        }

        /// <summary>The nested mapping at <paramref name="key"/>; null (and an error if it is there but not a mapping, or required and absent).</summary>
        public Section? Nested(string key, IReadOnlyList<string> keys, bool required)
        {
            var node = Take(key);
            string path = PathOf(key);
            if (node is SpecMapping mapping)
            {
                return new Section(_binder, mapping, path, keys);
            }

            if (node is null)
            {
                if (required)
                {
                    _binder.Errors.Unusable(path, $"is required: a mapping with the keys {string.Join(", ", keys)}", Mapping.Line, Mapping.Column);
                }

                return null;
            }

            _binder.Errors.Unusable(path, $"must be a mapping with the keys {string.Join(", ", keys)}; got {node.Description}{NullHint(node)}", node.Line, node.Column);
            return null;
        }

        public void RejectUnknownKeys()
        {
            foreach (var (key, _) in Mapping.Entries)
            {
                if (key.Kind != ScalarKind.String)
                {
                    _binder.Errors.Unusable(SpecPath.Field(Path, key.Text), $"keys must be strings; got {key.Description}", key.Line, key.Column);
                }
                else if (!_taken.Contains(key.Text))
                {
                    string where = Path.Length == 0 ? "a spec" : Path;
                    _binder.Errors.Unusable(
                        SpecPath.Field(Path, key.Text),
                        $"unknown key '{Shorten(key.Text)}'{KeySuggestions.Hint(key.Text, _keys)}; the keys of {where} are {string.Join(", ", _keys)}",
                        key.Line,
                        key.Column);
                }
            }
        }
    }
}
