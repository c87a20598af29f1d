namespace GenCluster.Torch.Modules;

/// <summary>
/// Runs modules in order; sub-modules are named "0", "1", ... as in PyTorch. Intermediate
/// results are disposed as soon as the next module has consumed them.
/// </summary>
public sealed class Sequential : Module
{
    private readonly Module[] _layers;

    public Sequential(params Module[] modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        _layers = modules;
        for (var i = 0; i < modules.Length; i++)
        {
            register_module(i.ToString(System.Globalization.CultureInfo.InvariantCulture), modules[i]);
        }
    }

    /// <summary>The number of layers.</summary>
    public int Count => _layers.Length;

    /// <summary>The layer at <paramref name="index"/>.</summary>
    public Module this[int index] => _layers[index];

    public override Tensor forward(Tensor input)
    {
        if (_layers.Length == 0)
        {
            return input.alias();
        }

        var x = _layers[0].forward(input);
        for (var i = 1; i < _layers.Length; i++)
        {
            // Autograd keeps what backward needs alive natively; our handle can go now.
            var next = _layers[i].forward(x);
            x.Dispose();
            x = next;
        }

        return x;
    }
}
