namespace GenCluster.Torch.Modules;

/// <summary>
/// Base class of layers and models, as PyTorch's <c>nn.Module</c>: it owns named parameters,
/// buffers and sub-modules, and gives them PyTorch's dotted names (<c>main.1.weight</c>) so a
/// state dict lines up with one saved by PyTorch.
/// </summary>
public abstract class Module : IDisposable
{
    private readonly List<(string Name, Tensor Tensor)> _parameters = [];
    private readonly List<(string Name, Tensor Tensor)> _buffers = [];
    private readonly List<(string Name, Module Module)> _modules = [];
    private bool _disposed;

    /// <summary>Whether the module is in training mode (BatchNorm uses batch statistics, Dropout drops).</summary>
    public bool training { get; private set; } = true;

    /// <summary>Runs the module on <paramref name="input"/>.</summary>
    public abstract Tensor forward(Tensor input);

    /// <summary>Same as <see cref="forward"/>, mirroring Python's <c>module(x)</c>.</summary>
    public Tensor call(Tensor input) => forward(input);

    /// <summary>Registers a trainable tensor; it leaves any dispose scope, since the module now owns it.</summary>
    protected Tensor register_parameter(string name, Tensor parameter)
    {
        CheckName(name);
        parameter.DetachFromDisposeScope();
        if (!parameter.requires_grad)
        {
            parameter.requires_grad = true;
        }

        _parameters.Add((name, parameter));
        return parameter;
    }

    /// <summary>Registers a state tensor that is saved but not trained (e.g. BatchNorm running statistics).</summary>
    protected Tensor register_buffer(string name, Tensor buffer)
    {
        CheckName(name);
        buffer.DetachFromDisposeScope();
        _buffers.Add((name, buffer));
        return buffer;
    }

    /// <summary>Registers a sub-module whose parameters become part of this one's.</summary>
    protected T register_module<T>(string name, T module) where T : Module
    {
        CheckName(name);
        _modules.Add((name, module));
        return module;
    }

    /// <summary>The parameters of this module and all sub-modules, in registration order.</summary>
    public IEnumerable<Tensor> parameters() => named_parameters().Select(p => p.Tensor);

    /// <summary>Parameters with their dotted names.</summary>
    public IEnumerable<(string Name, Tensor Tensor)> named_parameters() => Walk(m => m._parameters);

    /// <summary>Buffers with their dotted names.</summary>
    public IEnumerable<(string Name, Tensor Tensor)> named_buffers() => Walk(m => m._buffers);

    /// <summary>Direct sub-modules with their names.</summary>
    public IEnumerable<(string Name, Module Module)> named_children() => _modules;

    /// <summary>Parameters then buffers of every module, depth first, as PyTorch orders a state dict.</summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> state_dict()
    {
        var result = new List<KeyValuePair<string, Tensor>>();
        Collect(this, string.Empty, result);
        return result;

        static void Collect(Module module, string prefix, List<KeyValuePair<string, Tensor>> into)
        {
            foreach (var (name, tensor) in module._parameters)
            {
                into.Add(new(prefix + name, tensor));
            }

            foreach (var (name, tensor) in module._buffers)
            {
                into.Add(new(prefix + name, tensor));
            }

            foreach (var (name, child) in module._modules)
            {
                Collect(child, prefix + name + ".", into);
            }
        }
    }

    /// <summary>
    /// Copies values into this module's parameters and buffers (in place, so flat-buffer views stay intact).
    /// </summary>
    /// <exception cref="ArgumentException">A name is missing or unexpected, or a shape differs; nothing is copied.</exception>
    public void load_state_dict(IReadOnlyDictionary<string, Tensor> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var own = state_dict();
        var missing = own.Where(p => !state.ContainsKey(p.Key)).Select(p => p.Key).ToList();
        var ownNames = own.Select(p => p.Key).ToHashSet();
        var unexpected = state.Keys.Where(k => !ownNames.Contains(k)).ToList();
        var mismatched = own.Where(p => state.TryGetValue(p.Key, out var v) && !v.shape.SequenceEqual(p.Value.shape))
            .Select(p => $"{p.Key}: expected [{string.Join(", ", p.Value.shape)}], got [{string.Join(", ", state[p.Key].shape)}]")
            .ToList();
        if (missing.Count + unexpected.Count + mismatched.Count > 0)
        {
            throw new ArgumentException(
                "state dict does not match the module:"
                + (missing.Count > 0 ? $" missing keys [{string.Join(", ", missing)}];" : string.Empty)
                + (unexpected.Count > 0 ? $" unexpected keys [{string.Join(", ", unexpected)}];" : string.Empty)
                + (mismatched.Count > 0 ? $" shape mismatches [{string.Join("; ", mismatched)}]" : string.Empty),
                nameof(state));
        }

        using var noGrad = torch.no_grad();
        foreach (var (name, tensor) in own)
        {
            tensor.copy_(state[name]);
        }
    }

    /// <summary>Sets training mode on this module and all sub-modules.</summary>
    public Module train(bool on = true)
    {
        training = on;
        foreach (var (_, child) in _modules)
        {
            child.train(on);
        }

        return this;
    }

    /// <summary>Sets evaluation mode (same as <c>train(false)</c>).</summary>
    public Module eval() => train(false);

    /// <summary>Applies <paramref name="action"/> to every sub-module (depth first) and then to this module.</summary>
    public Module apply(Action<Module> action)
    {
        foreach (var (_, child) in _modules)
        {
            child.apply(action);
        }

        action(this);
        return this;
    }

    /// <summary>Frees the native memory of all parameters and buffers.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Disposes owned tensors and sub-modules.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (_disposed || !disposing)
        {
            return;
        }

        _disposed = true;
        foreach (var (_, tensor) in _parameters)
        {
            tensor.Dispose();
        }

        foreach (var (_, tensor) in _buffers)
        {
            tensor.Dispose();
        }

        foreach (var (_, child) in _modules)
        {
            child.Dispose();
        }
    }

    private IEnumerable<(string Name, Tensor Tensor)> Walk(Func<Module, List<(string, Tensor)>> select, string prefix = "")
    {
        foreach (var (name, tensor) in select(this))
        {
            yield return (prefix + name, tensor);
        }

        foreach (var (name, child) in _modules)
        {
            foreach (var item in child.Walk(select, prefix + name + "."))
            {
                yield return item;
            }
        }
    }

    private void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('.', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{name}' is not a valid member name (empty or contains '.')", nameof(name));
        }

        if (_parameters.Any(p => p.Name == name) || _buffers.Any(b => b.Name == name) || _modules.Any(m => m.Name == name))
        {
            throw new ArgumentException($"a member named '{name}' is already registered", nameof(name));
        }
    }
}
