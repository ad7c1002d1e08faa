using System.CommandLine;
using System.Globalization;
using Mergepoints.Mash.Engine.Audio;
using Mergepoints.Mash.Engine.Mashing;

namespace Mergepoints.Host.Cli;

/// <summary>
/// <c>mergepoints mash A B -o OUT.wav</c>: MonsterMash without the site, song A rebuilt from song B's sounds. The
/// progress goes to stderr so stdout stays for the one summary line.
/// </summary>
internal static class MashCommand
{
    public static Command Create()
    {
        var songA = new Argument<string>("A") { Description = "The song to rebuild (WAV; MP3, OGG, FLAC, M4A with ffmpeg)." };
        var songB = new Argument<string>("B") { Description = "The song whose sounds rebuild it." };
        var output = new Option<string>("--output", "-o") { Description = "The mash: a .wav file, or .mp3 (needs ffmpeg).", Required = true };
        var mix = new Option<double>("--mix") { Description = "How much of B is heard, 0 to 1.", DefaultValueFactory = _ => 0.9 };
        var mode = new Option<string>("--mode") { Description = "smooth (fades, limiter, weighted matching) or classic (afromb as it was).", DefaultValueFactory = _ => "smooth" };
        var unit = new Option<string>("--unit") { Description = "Match segment by segment or beat by beat (smooth only).", DefaultValueFactory = _ => "segment" };
        var noEnvelope = new Option<bool>("--no-envelope") { Description = "Do not shape B's sounds to A's loudness." };
        var command = new Command("mash", "Rebuild song A from song B's sounds (MonsterMash, the Echo Nest's afromb).")
        {
            songA, songB, output, mix, mode, unit, noEnvelope,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new MashOptions
            {
                Mix = parse.GetValue(mix),
                Mode = OneOf(parse.GetValue(mode), "--mode", ("smooth", MashMode.Smooth), ("classic", MashMode.Classic)),
                Unit = OneOf(parse.GetValue(unit), "--unit", ("segment", MashUnit.Segment), ("beat", MashUnit.Beat)),
                Envelope = !parse.GetValue(noEnvelope),
            };
            var target = parse.GetRequiredValue(output);
            MashResult result;
            var progress = new ProgressBar(Console.Error, interactive: !Console.IsErrorRedirected);
            try
            {
                result = await new MashEngine().MashAsync(parse.GetRequiredValue(songA), parse.GetRequiredValue(songB), target, options, progress, cancellationToken);
            }
            catch (Exception e) when (e is AudioFormatException or ArgumentException)
            {
                progress.Clear();
                throw new UsageException(e.Message);
            }
            progress.Finish();
            var time = TimeSpan.FromSeconds(result.Duration);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{target}: {(int)time.TotalMinutes}:{time.Seconds:00} from {result.Slots} {(options.Unit == MashUnit.Beat ? "beats" : "segments")}"));
            return 0;
        });
        return command;
    }

    // System.CommandLine's own check for a list of values answers on several lines; ours is one.
    private static T OneOf<T>(string? value, string option, params (string Name, T Value)[] choices)
    {
        foreach (var (name, choice) in choices)
        {
            if (name == value)
            {
                return choice;
            }
        }
        throw new UsageException($"{option} must be {string.Join(" or ", choices.Select(c => c.Name))}, not '{value}'");
    }
}
