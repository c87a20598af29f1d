namespace GenCluster.Contracts.Tests.Experiments.Support;

/// <summary>The example specs shipped in contracts/examples, copied next to the test assembly.</summary>
internal static class Examples
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "examples");

    public static string PathOf(string fileName) => Path.Combine(Directory, fileName);

    public static string Text(string fileName) => File.ReadAllText(PathOf(fileName));

    /// <summary>Every YAML example's file name.</summary>
    public static IReadOnlyList<string> YamlFileNames() =>
        System.IO.Directory.GetFiles(Directory, "*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();

    /// <summary>Every YAML example's file name, as theory data.</summary>
    public static TheoryData<string> YamlFiles() => new(YamlFileNames());
}
