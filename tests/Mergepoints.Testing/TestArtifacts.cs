namespace Mergepoints.Testing;

/// <summary>
/// Files a test leaves behind for a person to look at (screenshots, page sources): under <c>artifacts/</c> at the
/// repository's root, where CI and a developer find them after the run, and attached to the test's result too.
/// </summary>
public static class TestArtifacts
{
    // A test assembly run from outside a clone: its own folder still keeps the files.
    private static readonly Lazy<string> Root = new(() => Path.Combine(RepositoryRoot.Path ?? AppContext.BaseDirectory, "artifacts"));

    /// <summary>The running test's name as file names use it: <c>Class.Method</c>.</summary>
    public static string TestName
    {
        get
        {
            var context = TestContext.Current;
            var method = context.TestMethod?.MethodName ?? "unknown-test";
            return context.TestClass is { } testClass ? $"{testClass.TestClassSimpleName}.{method}" : method;
        }
    }

    /// <summary>
    /// Writes <paramref name="content"/> to <c>artifacts/<paramref name="folder"/>/<paramref name="fileName"/></c>,
    /// attaches it to the running test's result under its file name, and returns the path.
    /// </summary>
    public static string Save(string folder, string fileName, byte[] content, string mediaType)
    {
        var directory = Path.Combine(Root.Value, folder);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, fileName);
        File.WriteAllBytes(path, content);
        // Outside a test (or once xunit has closed the result) there is nothing to attach to; the file stays.
        if (TestContext.Current.Attachments is not null)
        {
            TestContext.Current.AddAttachment(fileName, content, replaceExistingValue: true, mediaType);
        }
        return path;
    }
}
