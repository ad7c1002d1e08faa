using Mergepoints.Mash.Engine.Audio;
using Mergepoints.Testing.Audio;

namespace Mergepoints.Bench.Mash;

/// <summary>
/// Two music-like songs, the same on every run: a chord a bar over a bass note, a kick on every beat, a hi-hat of
/// noise on the off-beats, in stereo. A is at 120 BPM in C, B at 100 BPM in A minor.
/// </summary>
internal static class Songs
{
    public const int Rate = 44100;

    public static AudioBuffer A(double seconds) => Song(seconds, bpm: 120, roots: [60, 65, 67, 57], seed: 1);

    public static AudioBuffer B(double seconds) => Song(seconds, bpm: 100, roots: [57, 53, 60, 55], seed: 2);

    private static AudioBuffer Song(double seconds, double bpm, int[] roots, int seed)
    {
        var beat = 60 / bpm;
        var bar = 4 * beat;
        var bars = new List<float[]>();
        for (var i = 0; bars.Sum(b => b.Length) < seconds * Rate; i++)
        {
            var root = roots[i % roots.Length];
            bars.Add(Synth.Sum(
                Synth.Chord([Synth.Note(root), Synth.Note(root + 4 - (root % 2)), Synth.Note(root + 7)], bar, Rate, 0.08),
                Synth.Sine(Synth.Note(root - 24), bar, Rate, 0.15),
                Kicks(bar, beat),
                Synth.Clicks(Enumerable.Range(0, 4).Select(k => (k + 0.5) * beat), bar, Rate, 0.25, seed + i),
                Synth.NoiseBurst(2 * beat, 0.12, bar, Rate, 0.15, seed * 1000 + i)));
        }
        var song = Synth.Concat([.. bars]).AsSpan(0, (int)(seconds * Rate)).ToArray();
        return Synth.Buffer(song, Rate, channels: 2);
    }

    // A kick: a sine falling from 120 to 50 Hz, dying away in 150 ms.
    private static float[] Kicks(double bar, double beat)
    {
        var samples = new float[(int)Math.Round(bar * Rate)];
        for (var k = 0; k < 4; k++)
        {
            var start = (int)Math.Round(k * beat * Rate);
            var phase = 0.0;
            for (var n = 0; n < 0.15 * Rate && start + n < samples.Length; n++)
            {
                var t = (double)n / Rate;
                phase += 2 * Math.PI * (50 + 70 * Math.Exp(-t * 30)) / Rate;
                samples[start + n] += (float)(0.5 * Math.Sin(phase) * Math.Exp(-t * 20));
            }
        }
        return samples;
    }
}
