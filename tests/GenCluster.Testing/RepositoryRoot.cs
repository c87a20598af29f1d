namespace GenCluster.Testing;

/// <summary>The repository's root folder (the one holding GenCluster.sln), found from the test assembly's folder.</summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(Find);

    /// <summary>The root's full path.</summary>
    /// <exception cref="DirectoryNotFoundException">The assembly does not run inside a GenCluster checkout.</exception>
    public static string Path => Root.Value;

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "GenCluster.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no GenCluster.sln above {AppContext.BaseDirectory}");
    }
}
