using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Mergepoints.Host.Tests.Infrastructure;

/// <summary>
/// Builds an assembly from C# source against the shared frameworks (and whatever else it is given), as a team
/// outside would ship an app.
/// </summary>
public static class PluginCompiler
{
    private static readonly MetadataReference[] FrameworkReferences =
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
        .Split(Path.PathSeparator)
        .Where(path => path.Contains("Microsoft.NETCore.App", StringComparison.Ordinal) || path.Contains("Microsoft.AspNetCore.App", StringComparison.Ordinal))
        .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
        .ToArray();

    /// <summary>Compiles <paramref name="source"/> to <paramref name="directory"/>/<paramref name="name"/>.dll.</summary>
    public static string Compile(string directory, string name, string source, params string[] referencePaths)
    {
        Directory.CreateDirectory(directory);
        var compilation = CSharpCompilation.Create(
            name,
            [CSharpSyntaxTree.ParseText(source)],
            [.. FrameworkReferences, .. referencePaths.Select(path => MetadataReference.CreateFromFile(path))],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var path = Path.Combine(directory, name + ".dll");
        using (var output = File.Create(path))
        {
            var result = compilation.Emit(output);
            if (!result.Success)
            {
                throw new InvalidOperationException("The test plugin does not compile:\n" + string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
            }
        }
        return path;
    }
}
