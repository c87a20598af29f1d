using System.Reflection;
using System.Runtime.CompilerServices;

namespace GenCluster.Silo;

/// <summary>
/// Loads extra assemblies of grain classes into the silo (e.g. a test's grains) and runs their
/// module initializers, which register the generated proxies, invokers and grain classes.
/// </summary>
internal static class GrainAssemblyLoader
{
    /// <exception cref="FileNotFoundException">An assembly path does not exist.</exception>
    public static IReadOnlyList<Assembly> Load(IEnumerable<string> paths)
    {
        var loaded = new List<Assembly>();
        foreach (var path in paths)
        {
            var full = Path.GetFullPath(path);
            if (!File.Exists(full))
            {
                throw new FileNotFoundException($"grain assembly '{full}' does not exist", full);
            }

            var assembly = Assembly.LoadFrom(full);
            // A module initializer runs on first use of the module, not on load; run it now.
            RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
            loaded.Add(assembly);
        }

        return loaded;
    }
}
