using System.Globalization;
using Mergepoints.Mash.Engine.Mashing;

namespace Mergepoints.Host.Cli;

/// <summary>
/// A mash's progress on a terminal: one bar redrawn in place with \r. Redirected to a file or a pipe it prints one
/// plain line per stage instead, since \r redraws would fill a log with every step. A stage shows once it has
/// moved past 0, so a song that cannot be read leaves the error as the only line. Reports arrive from worker
/// threads, so drawing is serialized.
/// </summary>
internal sealed class ProgressBar(TextWriter writer, bool interactive) : IProgress<MashProgress>
{
    private const int Width = 30;
    private readonly Lock _lock = new();
    private MashStage? _stage;
    private int _drawn = -1;

    public void Report(MashProgress value)
    {
        lock (_lock)
        {
            if (value.Fraction <= 0)
            {
                return;
            }
            if (!interactive)
            {
                if (_stage != value.Stage)
                {
                    writer.WriteLine($"{value.StageName}...");
                }
                _stage = value.Stage;
                return;
            }
            var percent = (int)(value.Overall * 100);
            if (percent == _drawn && _stage == value.Stage)
            {
                return;
            }
            (_drawn, _stage) = (percent, value.Stage);
            var filled = percent * Width / 100;
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"\r[{new string('#', filled)}{new string('.', Width - filled)}] {percent,3}% {value.StageName,-12}"));
            writer.Flush();
        }
    }

    /// <summary>Ends the bar's line, so what follows starts on a line of its own.</summary>
    public void Finish()
    {
        lock (_lock)
        {
            if (interactive && _drawn >= 0)
            {
                writer.WriteLine();
            }
        }
    }

    /// <summary>Wipes the bar, so an error is the only line left on the terminal.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            if (interactive && _drawn >= 0)
            {
                writer.Write($"\r{new string(' ', Width + 20)}\r");
                writer.Flush();
            }
        }
    }
}
