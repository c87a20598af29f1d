using System.Text;
using GenCluster.Contracts.Experiments.Binding;
using GenCluster.Contracts.Experiments.Documents;
using GenCluster.Contracts.Experiments.Json;
using GenCluster.Contracts.Experiments.Yaml;

namespace GenCluster.Contracts.Experiments;

/// <summary>
/// Reads experiment specs from YAML or JSON text: parses, fills in defaults and validates, reporting every problem at
/// once in an <see cref="ExperimentSpecException"/> (docs/EXPERIMENT-SPEC.md).
/// </summary>
public static class ExperimentSpecLoader
{
    /// <summary>Largest spec file, in bytes.</summary>
    public const int MaxFileBytes = 4 << 20;

    /// <summary>Reads a spec from <paramref name="text"/>.</summary>
    /// <returns>A valid spec with every default filled in.</returns>
    /// <exception cref="ExperimentSpecException">The text is malformed, or the spec is invalid; <see cref="ExperimentSpecException.Errors"/> says where and why.</exception>
    public static ExperimentSpec Load(string text, ExperimentSpecFormat format) => Load(text, format, moreRules: null);

    /// <summary>
    /// Reads a spec from <paramref name="text"/>; once it is valid, <paramref name="moreRules"/> may report more
    /// problems (located in the text like the validator's) — the training-plan mapping does.
    /// </summary>
    internal static ExperimentSpec Load(string text, ExperimentSpecFormat format, Action<ExperimentSpec, SpecErrorList>? moreRules)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > ExperimentSpecLimits.MaxDocumentLength)
        {
            throw new ExperimentSpecException(new SpecError(string.Empty, $"the spec is {text.Length:N0} characters long; at most {ExperimentSpecLimits.MaxDocumentLength:N0} are allowed"));
        }

        SpecNode root;
        try
        {
            root = format switch
            {
                ExperimentSpecFormat.Yaml => YamlReader.Read(text),
                ExperimentSpecFormat.Json => JsonSpecReader.Read(text),
                _ => throw new ArgumentOutOfRangeException(nameof(format), format, "the formats are Yaml and Json"),
            };
        }
        catch (SpecSyntaxException e)
        {
            throw new ExperimentSpecException(new SpecError(string.Empty, e.Reason, e.Line, e.Column));
        }

        var binder = new SpecBinder();
        var spec = binder.Bind(root);
        ExperimentSpecValidator.Validate(spec, binder.Errors);
        if (binder.Errors.Count == 0)
        {
            moreRules?.Invoke(spec, binder.Errors);
        }

        if (binder.Errors.Count > 0)
        {
            throw new ExperimentSpecException(binder.Errors.Sorted());
        }

        return spec;
    }

    /// <summary>Reads a spec from a UTF-8 file; the format comes from the extension (<see cref="FormatOf"/>).</summary>
    /// <exception cref="ExperimentSpecException">The extension is unknown, the file is too large or not UTF-8, or the spec is malformed or invalid.</exception>
    /// <exception cref="IOException">The file cannot be read (missing, no permission, …).</exception>
    public static ExperimentSpec LoadFile(string path) => LoadFile(path, moreRules: null);

    /// <summary>Reads a spec file as <see cref="LoadFile(string)"/> does, then applies <paramref name="moreRules"/> as <see cref="Load(string, ExperimentSpecFormat, Action{ExperimentSpec, SpecErrorList})"/> does.</summary>
    internal static ExperimentSpec LoadFile(string path, Action<ExperimentSpec, SpecErrorList>? moreRules)
    {
        ArgumentNullException.ThrowIfNull(path);
        var format = FormatOf(path);
        long length = new FileInfo(path).Length;
        if (length > MaxFileBytes)
        {
            throw new ExperimentSpecException(new SpecError(string.Empty, $"{path} is {length:N0} bytes; a spec file may be at most {MaxFileBytes:N0}"));
        }

        byte[] bytes = File.ReadAllBytes(path);
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new ExperimentSpecException(new SpecError(string.Empty, $"{path} is not valid UTF-8 (at byte {e.Index:N0}); save it as UTF-8"));
        }

        return Load(text, format, moreRules);
    }

    /// <summary>The format of a spec file by its extension: <c>.yaml</c> and <c>.yml</c> are YAML, <c>.json</c> is JSON (any case).</summary>
    /// <exception cref="ExperimentSpecException">Any other extension.</exception>
    public static ExperimentSpecFormat FormatOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".yaml" or ".yml" => ExperimentSpecFormat.Yaml,
            ".json" => ExperimentSpecFormat.Json,
            var other => throw new ExperimentSpecException(new SpecError(string.Empty,
                $"cannot tell the format of {path} from its extension '{other}'; name it .yaml, .yml or .json")),
        };
    }
}
