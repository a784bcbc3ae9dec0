using System.Text.Json;

namespace HwGen.Cli;

/// <summary>
/// Which design to build and with which parameters: a catalog name, or a JSON file
/// <c>{ "design": "fifo", "parameters": { "width": 8, "depth": 16 } }</c>.
/// </summary>
/// <param name="Name">The configuration's name: the catalog name, or the JSON file's name without its extension.</param>
/// <param name="Design">The catalog name of the design.</param>
/// <param name="Parameters">The <c>parameters</c> object of a JSON file, or null for the design's defaults.</param>
/// <param name="SourceFile">The JSON file the configuration came from, or null for a catalog name.</param>
internal sealed record DesignConfig(string Name, string Design, JsonElement? Parameters, string? SourceFile)
{
    private static readonly JsonDocumentOptions s_jsonOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>
    /// Reads <paramref name="value"/>: a JSON file when it ends in <c>.json</c>, contains a directory
    /// separator or names an existing file that is not a catalog name; otherwise a name from
    /// <paramref name="catalog"/>.
    /// </summary>
    /// <exception cref="UsageException">Unknown name, missing or malformed file.</exception>
    public static DesignConfig Resolve(string value, IReadOnlyList<string> catalog)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new UsageException("--config is empty; give a design name or a JSON file");

        bool looksLikeFile = value.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
            || value.Contains('/')
            || value.Contains(Path.DirectorySeparatorChar)
            || (!catalog.Contains(value) && File.Exists(value));
        if (!looksLikeFile)
        {
            if (!catalog.Contains(value))
                throw new UsageException($"unknown design '{value}'; known designs: {string.Join(", ", catalog)}");
            return new DesignConfig(value, value, null, null);
        }
        return Load(value, catalog);
    }

    private static DesignConfig Load(string path, IReadOnlyList<string> catalog)
    {
        if (Directory.Exists(path))
            throw new UsageException($"{path}: is a directory, not a JSON configuration file");
        if (!File.Exists(path))
            throw new UsageException($"{path}: configuration file not found");

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{path}: cannot read: {ex.Message}", ex);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, s_jsonOptions);
        }
        catch (JsonException ex)
        {
            long line = (ex.LineNumber ?? 0) + 1;
            long column = (ex.BytePositionInLine ?? 0) + 1;
            throw new UsageException($"{path}({line},{column}): invalid JSON: {StripPosition(ex.Message)}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new UsageException($"{path}: expected a JSON object {{ \"design\": ..., \"parameters\": {{ ... }} }}, found {Describe(root.ValueKind)}");

            string? design = null;
            JsonElement? parameters = null;
            foreach (var property in root.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "design":
                        if (property.Value.ValueKind != JsonValueKind.String)
                            throw new UsageException($"{path}: \"design\" must be a string naming a design, found {Describe(property.Value.ValueKind)}");
                        design = property.Value.GetString();
                        break;
                    case "parameters":
                        if (property.Value.ValueKind != JsonValueKind.Object)
                            throw new UsageException($"{path}: \"parameters\" must be an object, found {Describe(property.Value.ValueKind)}");
                        parameters = property.Value.Clone();
                        break;
                    default:
                        throw new UsageException($"{path}: unknown property \"{property.Name}\"; expected \"design\" and \"parameters\"");
                }
            }

            if (string.IsNullOrEmpty(design))
                throw new UsageException($"{path}: missing \"design\"; known designs: {string.Join(", ", catalog)}");
            if (!catalog.Contains(design))
                throw new UsageException($"{path}: unknown design '{design}'; known designs: {string.Join(", ", catalog)}");

            return new DesignConfig(Path.GetFileNameWithoutExtension(path), design, parameters, path);
        }
    }

    // System.Text.Json appends "Path: $ | LineNumber: 2 | BytePositionInLine: 4." to its messages;
    // the position is already at the front of ours.
    private static string StripPosition(string message)
    {
        int cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut < 0)
            cut = message.IndexOf(" LineNumber: ", StringComparison.Ordinal);
        return (cut < 0 ? message : message[..cut]).Trim();
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
