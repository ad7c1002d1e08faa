using System.CommandLine;
using System.Text;
using Mergepoints.HtmlDiff.Diffing;

namespace Mergepoints.Host.Cli;

/// <summary>
/// <c>mergepoints diff OLD NEW [-o OUT]</c>: the HTML diff without a server, for scripts and pipelines. <c>-</c> reads
/// one of the documents from stdin; the diff goes to stdout unless <c>-o</c> names a file.
/// </summary>
internal static class DiffCommand
{
    private const string StandardInput = "-";

    public static Command Create()
    {
        var oldFile = new Argument<string>("OLD") { Description = "The old HTML document, or - for stdin." };
        var newFile = new Argument<string>("NEW") { Description = "The new HTML document, or - for stdin." };
        var output = new Option<string>("--output", "-o") { Description = "Write the diff to this file instead of stdout." };
        var whitespace = new Option<bool>("--whitespace") { Description = "Mark whitespace-only changes too." };
        var command = new Command("diff", "Diff two HTML documents: the new one with insertions, deletions and changed tags marked, as HTML.")
        {
            oldFile, newFile, output, whitespace,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (oldPath, newPath) = (parse.GetRequiredValue(oldFile), parse.GetRequiredValue(newFile));
            if (oldPath == StandardInput && newPath == StandardInput)
            {
                throw new UsageException("only one of OLD and NEW may be - (stdin)");
            }
            var oldHtml = await ReadAsync(oldPath, cancellationToken);
            var newHtml = await ReadAsync(newPath, cancellationToken);
            HtmlDiffResult diff;
            try
            {
                diff = HtmlDiffer.Diff(oldHtml, newHtml, new HtmlDiffOptions { ShowWhitespaceChanges = parse.GetValue(whitespace) }, cancellationToken);
            }
            catch (HtmlNestingException e)
            {
                // A document the diff refuses is the user's input, said in one line like a missing file.
                throw new UsageException(e.Message);
            }
            await WriteAsync(parse.GetValue(output), diff.Html + "\n", cancellationToken);
            return 0;
        });
        return command;
    }

    // File.ReadAllTextAsync drops a byte order mark, so a saved-with-BOM file does not differ at its first byte.
    private static async Task<string> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (path == StandardInput)
        {
            using var stdin = new StreamReader(Console.OpenStandardInput(), Encoding.UTF8);
            return await stdin.ReadToEndAsync(cancellationToken);
        }
        try
        {
            return await File.ReadAllTextAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read {path}: {Reason(e)}");
        }
    }

    private static async Task WriteAsync(string? path, string html, CancellationToken cancellationToken)
    {
        if (path is null)
        {
            await using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            await stdout.WriteAsync(html.AsMemory(), cancellationToken);
            return;
        }
        try
        {
            await File.WriteAllTextAsync(path, html, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot write {path}: {Reason(e)}");
        }
    }

    private static string Reason(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "no such file",
        _ => e.Message,
    };
}
