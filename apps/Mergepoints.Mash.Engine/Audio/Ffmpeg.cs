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

    /// <summary>Decodes the first audio stream, whole or only its first <paramref name="limit"/>.</summary>
    public async Task<AudioBuffer> DecodeAsync(string inputPath, CancellationToken cancellationToken, TimeSpan? limit = null)
    {
        var temporary = Path.Combine(Path.GetTempPath(), $"mergepoints-decode-{Guid.NewGuid():N}.wav");
        string[] duration = limit is { } length ? ["-t", length.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)] : [];
        try
        {
            await RunAsync(["-i", inputPath, "-vn", "-map", "0:a:0", .. duration, "-c:a", "pcm_f32le", "-f", "wav", temporary], $"cannot decode {Path.GetFileName(inputPath)}", cancellationToken);
            return WavReader.Read(await File.ReadAllBytesAsync(temporary, cancellationToken));
        }
        finally
        {
            File.Delete(temporary);
        }
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

    private async Task RunAsync(IEnumerable<string> arguments, string failure, CancellationToken cancellationToken)
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
            await output;
            if (process.ExitCode != 0)
            {
                var lines = (await error).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                throw new AudioFormatException($"{failure}: ffmpeg says: {(lines.Length > 0 ? lines[^1] : $"exit code {process.ExitCode}")}");
            }
        }
    }
}
