using System.Linq.Expressions;
using System.Reflection;
using GenCluster.Runtime.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace GenCluster.Runtime.Activation;

/// <summary>
/// Constructs instances of one grain class. Built once per class with reflection (constructor choice, a compiled
/// <c>new</c> expression, one source per parameter); constructing an instance then involves no reflection.
/// Parameters come from the silo's services, except <see cref="IGrainContext"/>, <see cref="IGrainFactory"/> and
/// <c>[PersistentState]</c> <see cref="IPersistentState{TState}"/> parameters, which the runtime supplies.
/// </summary>
internal sealed class GrainConstructor
{
    private static readonly MethodInfo s_persistentStateSource =
        typeof(GrainConstructor).GetMethod(nameof(PersistentStateSource), BindingFlags.NonPublic | BindingFlags.Static)!;

    private readonly Func<object?[], object> _construct;
    private readonly ParameterSource[] _parameters;

    private GrainConstructor(Func<object?[], object> construct, ParameterSource[] parameters)
    {
        _construct = construct;
        _parameters = parameters;
    }

    /// <summary>Supplies one constructor argument.</summary>
    private delegate object? ParameterSource(IServiceProvider services, IGrainContext context, List<IGrainStateLoader> states);

    /// <summary>Prepares construction of <paramref name="grainClass"/> (its public constructor with the most parameters).</summary>
    /// <exception cref="InvalidOperationException">The class has no public constructor, or a persistent-state parameter is malformed.</exception>
    public static GrainConstructor For(Type grainClass)
    {
        var constructor = grainClass.GetConstructors(BindingFlags.Public | BindingFlags.Instance)
            .OrderByDescending(c => c.GetParameters().Length)
            .FirstOrDefault()
            ?? throw new InvalidOperationException($"grain class {grainClass.FullName} has no public constructor");
        var parameters = constructor.GetParameters();
        var arguments = Expression.Parameter(typeof(object?[]), "arguments");
        var create = Expression.New(
            constructor,
            parameters.Select((p, i) => Expression.Convert(Expression.ArrayIndex(arguments, Expression.Constant(i)), p.ParameterType)));
        var construct = Expression.Lambda<Func<object?[], object>>(Expression.Convert(create, typeof(object)), arguments).Compile();
        return new GrainConstructor(construct, parameters.Select(p => SourceOf(grainClass, p)).ToArray());
    }

    /// <summary>Constructs an instance bound to <paramref name="context"/>.</summary>
    public GrainInstance Create(IServiceProvider services, IGrainContext context)
    {
        var states = new List<IGrainStateLoader>();
        var arguments = new object?[_parameters.Length];
        for (int i = 0; i < arguments.Length; i++)
        {
            arguments[i] = _parameters[i](services, context, states);
        }

        object grain;
        try
        {
            grain = _construct(arguments);
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"the constructor of grain {context.GrainId} threw: {e.Message}", e);
        }

        if (grain is Grain bindable)
        {
            Grain.Bind(bindable, context);
        }

        return new GrainInstance(grain, states);
    }

    private static ParameterSource SourceOf(Type grainClass, ParameterInfo parameter)
    {
        var type = parameter.ParameterType;
        if (parameter.GetCustomAttribute<PersistentStateAttribute>() is { } persistent)
        {
            if (!type.IsGenericType || type.GetGenericTypeDefinition() != typeof(IPersistentState<>))
            {
                throw new InvalidOperationException(
                    $"parameter '{parameter.Name}' of {grainClass.FullName} is marked [PersistentState] but is not an IPersistentState<T>");
            }

            var source = s_persistentStateSource.MakeGenericMethod(type.GetGenericArguments()[0]);
            return (ParameterSource)source.Invoke(null, [persistent.StateName, persistent.StorageName ?? GrainStorageNames.Default])!;
        }

        if (type == typeof(IGrainContext))
        {
            return static (_, context, _) => context;
        }

        if (type == typeof(IGrainFactory))
        {
            return static (_, context, _) => context.GrainFactory;
        }

        return (services, context, _) =>
            services.GetService(type)
            ?? (parameter.HasDefaultValue
                ? parameter.DefaultValue
                : throw new InvalidOperationException(
                    $"cannot construct grain {context.GrainId}: no service of type {type.FullName} is registered for constructor parameter '{parameter.Name}' of {grainClass.Name}"));
    }

    private static ParameterSource PersistentStateSource<TState>(string stateName, string storageName)
        where TState : new() =>
        (services, context, states) =>
        {
            var state = new PersistentState<TState>(context.GrainId, stateName, storageName, GrainStorageNames.Resolve(services, storageName));
            states.Add(state);
            return state;
        };
}
