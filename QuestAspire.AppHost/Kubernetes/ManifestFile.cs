using System.Text;
using k8s;

namespace QuestAspire.AppHost.Kubernetes;

/// <summary>One generated YAML file: a comment, then its objects as YAML documents.</summary>
internal sealed record ManifestFile(string RelativePath, string Comment, IReadOnlyList<object> Objects)
{
    /// <summary>The folders the generator owns below the output path; it rewrites them completely.</summary>
    public static readonly string[] GeneratedFolders = ["base", Path.Combine("overlays", "dev")];

    public string ToYaml()
    {
        var yaml = new StringBuilder();
        foreach (var line in Comment.Split('\n'))
        {
            yaml.Append(line.Length > 0 ? $"# {line}\n" : "#\n");
        }

        for (var i = 0; i < Objects.Count; i++)
        {
            yaml.Append(i > 0 ? "---\n" : "").Append(KubernetesYaml.Serialize(Objects[i]).ReplaceLineEndings("\n").TrimEnd('\n')).Append('\n');
        }

        return yaml.ToString();
    }

    /// <summary>
    /// Writes the files, first deleting the YAML files of the generated folders so that a
    /// resource removed from the AppHost leaves no stale manifest behind.
    /// </summary>
    public static void WriteAll(string outputDirectory, IEnumerable<ManifestFile> files)
    {
        foreach (var folder in GeneratedFolders.Select(folder => Path.Combine(outputDirectory, folder)).Where(Directory.Exists))
        {
            foreach (var stale in Directory.EnumerateFiles(folder, "*.yaml"))
            {
                File.Delete(stale);
            }
        }

        foreach (var file in files)
        {
            var path = Path.Combine(outputDirectory, file.RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, file.ToYaml(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        }
    }
}
