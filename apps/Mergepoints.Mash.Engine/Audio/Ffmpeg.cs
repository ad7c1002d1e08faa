using System.ComponentModel;
using System.Diagnostics;

namespace Mergepoints.Mash.Engine.Audio;

/// <summary>
/// The <c>ffmpeg</c> executable, for the compressed formats (MP3, OGG, FLAC, M4A) that would each need a codec
/// library we do not have. It decodes to a temporary 32-bit float WAV (a file, so ffmpeg writes true sizes in the
/// header) that <see cref="WavReader"/> reads, and encodes MP3 from a 16-bit WAV. Arguments go as a list, never
/// through a shell, so a file name is only ever a file name.
/// </summary>
internal sealed class Ffmpeg(string executable)
{
    public string Executable { get; } = executable;

    /// <summary>
    /// Decodes the first audio stream of <paramref name="inputPath"/> as the demuxer <paramref name="format"/>, whole
    /// or only its first <paramref name="limit"/>.
    /// </summary>
    /// <remarks>
    /// The demuxer is named, never probed, and only local files and pipes may be opened: a file that holds a
    /// playlist after its ID3 tag would otherwise be read as HLS, opening whatever the playlist names.
    /// </remarks>
    public async Task<AudioBuffer> DecodeAsync(string inputPath, string format, CancellationToken cancellationToken, TimeSpan? limit = null)
    {
        var temporary = Path.Combine(Path.GetTempPath(), $"mergepoints-decode-{Guid.NewGuid():N}.wav");
        string[] duration = limit is { } length ? ["-t", length.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)] : [];
        try
        {
            await RunAsync(["-protocol_whitelist", "file,pipe", "-f", format, "-i", inputPath, "-vn", "-map", "0:a:0", .. duration, "-c:a", "pcm_f32le", "-f", "wav", temporary], $"cannot decode {Path.GetFileName(inputPath)}", cancellationToken);
            return WavReader.Read(await File.ReadAllBytesAsync(temporary, cancellationToken));
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>
    /// The length of the first audio stream in seconds, from the time of its last packet as ffmpeg copies them
    /// to nowhere (no decoding, so a long song costs no more than reading it); null when ffmpeg tells none.
    /// </summary>
    public async Task<double?> MeasureAsync(string inputPath, string format, CancellationToken cancellationToken)
    {
        var progress = await RunAsync(
            ["-protocol_whitelist", "file,pipe", "-f", format, "-i", inputPath, "-map", "0:a:0", "-c", "copy", "-f", "null", "-progress", "pipe:1", "-nostats", "-"],
            $"cannot measure {Path.GetFileName(inputPath)}", cancellationToken);
        // key=value lines, a block per update; the last out_time_us is the end. "N/A" when there was no packet.
        var last = progress.Split('\n', StringSplitOptions.TrimEntries).LastOrDefault(line => line.StartsWith("out_time_us=", StringComparison.Ordinal));
        return last is not null && long.TryParse(last.AsSpan("out_time_us=".Length), System.Globalization.CultureInfo.InvariantCulture, out var microseconds)
            ? microseconds / 1e6
            : null;
    }

    public async Task EncodeMp3Async(AudioBuffer audio, string outputPath, CancellationToken cancellationToken)
    {
        var temporary = Path.Combine(Path.GetTempPath(), $"mergepoints-encode-{Guid.NewGuid():N}.wav");
        try
        {
            await File.WriteAllBytesAsync(temporary, WavWriter.ToBytes(audio), cancellationToken);
            await RunAsync(["-i", temporary, "-c:a", "libmp3lame", "-q:a", "2", "-f", "mp3", outputPath], $"cannot encode {Path.GetFileName(outputPath)}", cancellationToken);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Runs ffmpeg to the end; returns what it wrote to stdout, throws its last error line.</summary>
    private async Task<string> RunAsync(IEnumerable<string> arguments, string failure, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(Executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["-nostdin", "-hide_banner", "-loglevel", "error", "-y", .. arguments])
        {
            info.ArgumentList.Add(argument);
        }
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new Win32Exception();
        }
        catch (Win32Exception e)
        {
            throw new AudioFormatException($"{failure}: this needs ffmpeg, which is not installed (cannot run '{Executable}')", e);
        }
        using (process)
        {
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            try
            {
                await process.WaitForExitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
            if (process.ExitCode != 0)
            {
                var lines = (await error).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                throw new AudioFormatException($"{failure}: ffmpeg says: {(lines.Length > 0 ? lines[^1] : $"exit code {process.ExitCode}")}");
            }
            return await output;
        }
    }
}
