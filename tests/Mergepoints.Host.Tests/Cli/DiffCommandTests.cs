using Mergepoints.HtmlDiff.Diffing;
using Mergepoints.Host.Tests.Infrastructure;
using Mergepoints.Testing;

namespace Mergepoints.Host.Tests.Cli;

public sealed class DiffCommandTests : IDisposable
{
    private const string Old = "<p>Foo bar baz</p>";
    private const string New = "<p>Foo baz <b>blah</b></p>";
    private readonly TempDirectory _directory = new();

    private static string Expected => HtmlDiffer.Diff(Old, New, cancellationToken: TestContext.Current.CancellationToken).Html + "\n";

    [Fact]
    public async Task Two_files_print_their_diff_on_stdout()
    {
        var (exitCode, output, error) = await HostProcess.RunAsync("diff", _directory.Write("old.html", Old), _directory.Write("new.html", New));

        Assert.Equal(0, exitCode);
        Assert.Equal(Expected, output);
        Assert.Contains("<del>", output, StringComparison.Ordinal);
        Assert.Equal("", error);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_dash_reads_either_document_from_stdin(bool oldFromStdin)
    {
        var (exitCode, output, _) = oldFromStdin
            ? await HostProcess.RunWithInputAsync(Old, "diff", "-", _directory.Write("new.html", New))
            : await HostProcess.RunWithInputAsync(New, "diff", _directory.Write("old.html", Old), "-");

        Assert.Equal(0, exitCode);
        Assert.Equal(Expected, output);
    }

    [Fact]
    public async Task Dash_o_writes_the_diff_to_a_file_and_nothing_to_stdout()
    {
        var result = Path.Combine(_directory.Path, "diff.html");

        var (exitCode, output, _) = await HostProcess.RunAsync("diff", _directory.Write("old.html", Old), _directory.Write("new.html", New), "-o", result);

        Assert.Equal(0, exitCode);
        Assert.Equal("", output);
        Assert.Equal(Expected, await File.ReadAllTextAsync(result, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_missing_file_is_one_line_naming_it_and_exit_code_2()
    {
        var missing = Path.Combine(_directory.Path, "missing.html");

        var (exitCode, output, error) = await HostProcess.RunAsync("diff", missing, _directory.Write("new.html", New));

        Assert.Equal(2, exitCode);
        Assert.Equal("", output);
        Assert.Equal($"mergepoints: cannot read {missing}: no such file", Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public async Task A_document_nested_too_deep_to_diff_is_one_line_and_exit_code_2()
    {
        var deep = "<template>" + string.Concat(Enumerable.Repeat("<b>", 300)) + "x";

        var (exitCode, output, error) = await HostProcess.RunAsync("diff", _directory.Write("old.html", deep), _directory.Write("new.html", New));

        Assert.Equal(2, exitCode);
        Assert.Equal("", output);
        Assert.StartsWith("mergepoints: the markup inside <template> nests deeper than", Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("diff", "-", "-")]
    [InlineData("diff", "only-one.html")]
    public async Task A_command_line_it_cannot_act_on_is_one_line_and_exit_code_2(params string[] args)
    {
        var (exitCode, _, error) = await HostProcess.RunWithInputAsync("", args);

        Assert.Equal(2, exitCode);
        Assert.StartsWith("mergepoints: ", Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Dispose();
}
