using Mergepoints.Mash.Engine.Audio;

namespace Mergepoints.Testing.Audio;

/// <summary>
/// Audio made in code for tests and benches, so no music file lives in the repository and every expected value
/// (a frequency, a click time, a level) is known exactly. Signals are mono float arrays; <see cref="Buffer"/> makes
/// them audio of any channel count.
/// </summary>
public static class Synth
{
    public static float[] Sine(double hertz, double seconds, int sampleRate, double amplitude = 0.5, double phase = 0)
    {
        var samples = new float[(int)Math.Round(seconds * sampleRate)];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = (float)(amplitude * Math.Sin(2 * Math.PI * hertz * i / sampleRate + phase));
        }
        return samples;
    }

    /// <summary>Equal sines of every frequency, <paramref name="amplitude"/> each.</summary>
    public static float[] Chord(IEnumerable<double> hertz, double seconds, int sampleRate, double amplitude = 0.2) =>
        Sum(hertz.Select(f => Sine(f, seconds, sampleRate, amplitude)).ToArray());

    /// <summary>The frequency of a MIDI note (69 = A4 = 440 Hz).</summary>
    public static double Note(int midi) => 440 * Math.Pow(2, (midi - 69) / 12.0);

    /// <summary>Silence with a click (a 2 ms decaying burst of noise) at each time.</summary>
    public static float[] Clicks(IEnumerable<double> times, double seconds, int sampleRate, double amplitude = 0.8, int seed = 1)
    {
        var samples = new float[(int)Math.Round(seconds * sampleRate)];
        var random = new Random(seed);
        var length = Math.Max(1, sampleRate / 500);
        foreach (var time in times)
        {
            var start = (int)Math.Round(time * sampleRate);
            for (var i = 0; i < length && start + i < samples.Length; i++)
            {
                samples[start + i] += (float)(amplitude * (2 * random.NextDouble() - 1) * Math.Exp(-5.0 * i / length));
            }
        }
        return samples;
    }

    /// <summary>Clicks every beat at <paramref name="bpm"/>, the first at <paramref name="first"/> seconds.</summary>
    public static float[] ClickTrack(double bpm, double seconds, int sampleRate, double first = 0.5) =>
        Clicks(BeatTimes(bpm, seconds, first), seconds, sampleRate);

    public static IEnumerable<double> BeatTimes(double bpm, double seconds, double first = 0.5)
    {
        for (var t = first; t < seconds; t += 60 / bpm)
        {
            yield return t;
        }
    }

    /// <summary>White noise from <paramref name="start"/> for <paramref name="length"/> seconds, fading out.</summary>
    public static float[] NoiseBurst(double start, double length, double seconds, int sampleRate, double amplitude = 0.3, int seed = 2)
    {
        var samples = new float[(int)Math.Round(seconds * sampleRate)];
        var random = new Random(seed);
        var (from, count) = ((int)Math.Round(start * sampleRate), (int)Math.Round(length * sampleRate));
        for (var i = 0; i < count && from + i < samples.Length; i++)
        {
            samples[from + i] = (float)(amplitude * (2 * random.NextDouble() - 1) * (1 - (double)i / count));
        }
        return samples;
    }

    /// <summary>Sample-wise sum, as long as the longest.</summary>
    public static float[] Sum(params float[][] signals)
    {
        var sum = new float[signals.Max(s => s.Length)];
        foreach (var signal in signals)
        {
            for (var i = 0; i < signal.Length; i++)
            {
                sum[i] += signal[i];
            }
        }
        return sum;
    }

    /// <summary>One after the other.</summary>
    public static float[] Concat(params float[][] signals) => signals.SelectMany(s => s).ToArray();

    /// <summary>The signal in every one of <paramref name="channels"/> channels (the second one at 0.8 in stereo, so channels differ).</summary>
    public static AudioBuffer Buffer(float[] signal, int sampleRate, int channels = 1) =>
        new(Enumerable.Range(0, channels).Select(c => c == 0 ? (float[])signal.Clone() : signal.Select(s => s * 0.8f).ToArray()).ToArray(), sampleRate);

    /// <summary>
    /// A short song as the bytes of a 16-bit stereo WAV: a note and its fifth with a click on every beat at 120 BPM,
    /// so an analysis finds segments and beats in it; for tests that upload or mash whole songs.
    /// </summary>
    public static byte[] SongWav(double hertz, double seconds, int sampleRate = 44100) => WavWriter.ToBytes(Buffer(
        Sum(Sine(hertz, seconds, sampleRate, 0.3), ClickTrack(120, seconds, sampleRate), Sine(hertz * 1.5, seconds, sampleRate, 0.1)), sampleRate, 2));

    /// <summary>Writes the audio as a 16-bit WAV file and returns its path.</summary>
    public static string WriteWav(string path, AudioBuffer audio, WavSampleFormat format = WavSampleFormat.Pcm16)
    {
        File.WriteAllBytes(path, WavWriter.ToBytes(audio, format));
        return path;
    }
}
