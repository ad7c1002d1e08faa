using Mergepoints.Mash.Engine.Audio;

namespace Mergepoints.Mash.Library;

/// <summary>
/// The two demo songs, synthesized in code so the repository holds no music: a 120 BPM drum machine groove with
/// bass and chord stabs in A minor, and a 96 BPM melody of FM bells and plucked strings over a pad in D major.
/// Different tempos, keys and timbres, so song A rebuilt from B's sounds is heard to be both at once: A's drum
/// pattern played on bells and plucks.
/// </summary>
/// <remarks>
/// Hand-written: a few textbook instruments (a pitch-swept sine kick, filtered noise for snare and hats, additive
/// bass and chords, FM bells, Karplus-Strong plucks) are shorter than wiring a synthesis library, and none is in
/// our package source. Noise comes from a seeded xorshift, never <see cref="Random"/>, whose sequence .NET may
/// change. The bytes (and thus the demo songs' ids, which come from their hash) are the same every time on one
/// machine and runtime; <see cref="Math.Sin(double)"/> and its kind are not bit-identical across CPUs (x64, arm64)
/// or runtime versions, so two machines sharing a datastore may each add demo songs that sound the same under
/// other ids. Nothing depends on more than that.
/// </remarks>
internal static class DemoSynthesizer
{
    public const int SampleRate = 44100;
    private const double Seconds = 30;
    private const float Peak = 0.89f;

    /// <summary>Song A: 15 bars of Am–F–C–G at 120 BPM; drums from the start, bass from bar 2, chords from bar 3.</summary>
    public static AudioBuffer Groove()
    {
        const double beat = 60.0 / 120;
        var mix = new StereoMix(Seconds);
        var noise = new Noise(0x5EED_0A);
        int[][] chords = [[57, 60, 64], [53, 57, 60], [55, 60, 64], [55, 59, 62]];
        int[] roots = [33, 29, 36, 31];
        var kick = Kick();
        var snare = Snare(noise);
        var closedHat = HiHat(noise, 0.04);
        var openHat = HiHat(noise, 0.3);
        for (var bar = 0; bar < 15; bar++)
        {
            var start = bar * 4 * beat;
            var chord = bar % 4;
            foreach (var (eighth, sound, gain, pan) in new (int, float[], double, double)[] { (0, kick, 0.9, 0), (4, kick, 0.9, 0), (2, snare, 0.6, 0.1), (6, snare, 0.6, 0.1) })
            {
                mix.Add(start + eighth * beat / 2, sound, gain, pan);
            }
            if (bar % 2 == 1)
            {
                mix.Add(start + 5 * beat / 2, kick, 0.7, 0);
            }
            for (var eighth = 0; eighth < 8; eighth++)
            {
                mix.Add(start + eighth * beat / 2, eighth == 7 ? openHat : closedHat, eighth % 2 == 0 ? 0.25 : 0.18, 0.35);
            }
            if (bar >= 1)
            {
                int[] pattern = [0, 0, 12, 0, 0, 12, 7, 0];
                for (var eighth = 0; eighth < 8; eighth++)
                {
                    mix.Add(start + eighth * beat / 2, Bass(Frequency(roots[chord] + pattern[eighth]), beat / 2 * 0.9), 0.45, -0.1);
                }
            }
            if (bar >= 2)
            {
                foreach (var eighth in new[] { 1, 3, 4, 7 })
                {
                    mix.Add(start + eighth * beat / 2, Stab(chords[chord], beat * 0.4), 0.22, -0.35);
                }
            }
        }
        return mix.ToBuffer();
    }

    /// <summary>Song B: 12 bars of D–Bm–G–A at 96 BPM; a pad throughout, bells from bar 1, plucks from bar 5.</summary>
    public static AudioBuffer Bells()
    {
        const double beat = 60.0 / 96;
        var mix = new StereoMix(Seconds);
        var noise = new Noise(0xB311_5B);
        int[][] chords = [[62, 66, 69], [59, 62, 66], [55, 59, 62], [57, 61, 64]];
        // Scale steps of D major pentatonic per eighth, -1 a rest: a phrase of four bars, answered differently.
        int[][] melody =
        [
            [2, -1, 3, 4, -1, 3, 2, 0], [1, -1, 2, 0, -1, -1, 1, 2], [3, -1, 4, 5, 4, 3, -1, 2], [1, 2, -1, 0, -1, -1, -1, -1],
            [4, -1, 5, 6, -1, 5, 4, 2], [3, -1, 2, 1, -1, 2, 3, 4], [5, 4, 3, -1, 2, -1, 1, 2], [0, -1, -1, -1, 2, 1, 0, -1],
        ];
        int[] pentatonic = [74, 76, 78, 81, 83, 86, 88];
        for (var bar = 0; bar < 12; bar++)
        {
            var start = bar * 4 * beat;
            var chord = chords[bar % 4];
            mix.Add(start, Pad(chord, 4 * beat + 0.4), 0.16, 0);
            if (bar >= 1 && bar <= 10)
            {
                var phrase = melody[(bar - 1) % melody.Length];
                for (var eighth = 0; eighth < 8; eighth++)
                {
                    if (phrase[eighth] >= 0)
                    {
                        mix.Add(start + eighth * beat / 2, Bell(Frequency(pentatonic[phrase[eighth]]), 1.6), 0.3, eighth % 2 == 0 ? 0.3 : -0.3);
                    }
                }
            }
            if (bar >= 4)
            {
                for (var sixteenth = 0; sixteenth < 16; sixteenth += bar % 2 == 0 ? 2 : 3)
                {
                    mix.Add(start + sixteenth * beat / 4, Pluck(noise, Frequency(chord[sixteenth % 3] - 12), 0.6), 0.35, -0.45);
                }
            }
        }
        return mix.ToBuffer();
    }

    private static double Frequency(int midi) => 440 * Math.Pow(2, (midi - 69) / 12.0);

    private static float[] Kick()
    {
        var phase = 0.0;
        return Render(0.45, t =>
        {
            phase += 2 * Math.PI * (48 + 110 * Math.Exp(-t * 28)) / SampleRate;
            return Math.Sin(phase) * Math.Exp(-t * 7);
        });
    }

    private static float[] Snare(Noise noise) =>
        Render(0.25, t => 0.7 * noise.Next() * Math.Exp(-t * 18) + 0.4 * Math.Sin(2 * Math.PI * 185 * t) * Math.Exp(-t * 30));

    private static float[] HiHat(Noise noise, double decay)
    {
        var previous = 0.0;
        return Render(decay * 4, t =>
        {
            // The difference of white noise: its highs, as a hat's metal has them.
            var (white, last) = (noise.Next(), previous);
            previous = white;
            return (white - last) * 0.5 * Math.Exp(-t / decay);
        });
    }

    private static float[] Bass(double hertz, double seconds) => Render(seconds, t =>
    {
        var saw = 0.0;
        for (var k = 1; k <= 8; k++)
        {
            // Higher harmonics fade faster: a filter closing over the note.
            saw += Math.Sin(2 * Math.PI * k * hertz * t) / k * Math.Exp(-t * k * 6);
        }
        return saw * Envelope(t, seconds, 0.005, 0.03);
    });

    private static float[] Stab(int[] notes, double seconds) => Render(seconds, t =>
        Voices(notes, 0, f => Math.Sin(2 * Math.PI * f * t) + 0.5 * Math.Sin(2 * Math.PI * 2.003 * f * t) + 0.25 * Math.Sin(2 * Math.PI * 3.001 * f * t))
        * Math.Exp(-t * 9) * Envelope(t, seconds, 0.004, 0.02));

    // Two voices a few cents apart beat slowly against each other: the pad's shimmer.
    private static float[] Pad(int[] notes, double seconds) => Render(seconds, t =>
        Voices(notes, -12, f => Math.Sin(2 * Math.PI * f * t) + Math.Sin(2 * Math.PI * f * 1.004 * t) + 0.3 * Math.Sin(2 * Math.PI * 2 * f * t))
        * Envelope(t, seconds, 0.4, 0.4));

    // FM with an inharmonic ratio and an index that dies away: bright strike, pure tail.
    private static float[] Bell(double hertz, double seconds) => Render(seconds, t =>
        Math.Sin(2 * Math.PI * hertz * t + 5 * Math.Exp(-t * 4) * Math.Sin(2 * Math.PI * 3.5 * hertz * t)) * Math.Exp(-t * 2.5) * Envelope(t, seconds, 0.002, 0.05));

    private static float[] Pluck(Noise noise, double hertz, double seconds)
    {
        // Karplus-Strong: a burst of noise circulating in a delay line one period long, averaged as it goes.
        var period = (int)Math.Round(SampleRate / hertz);
        var line = new double[period];
        for (var i = 0; i < period; i++)
        {
            line[i] = noise.Next();
        }
        var at = 0;
        return Render(seconds, t =>
        {
            var sample = line[at];
            line[at] = 0.996 * 0.5 * (line[at] + line[(at + 1) % period]);
            at = (at + 1) % period;
            return sample * Envelope(t, seconds, 0, 0.05);
        });
    }

    /// <summary><paramref name="seconds"/> of a sound given as its value at each time, in time order (sounds may keep state).</summary>
    private static float[] Render(double seconds, Func<double, double> at)
    {
        var samples = new float[Length(seconds)];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = (float)at((double)i / SampleRate);
        }
        return samples;
    }

    /// <summary>The average of <paramref name="voice"/> over a chord's notes, moved by <paramref name="transpose"/> semitones.</summary>
    private static double Voices(int[] notes, int transpose, Func<double, double> voice)
    {
        var sum = 0.0;
        foreach (var note in notes)
        {
            sum += voice(Frequency(note + transpose));
        }
        return sum / notes.Length;
    }

    /// <summary>Linear attack and release over a note of <paramref name="seconds"/>, so nothing clicks.</summary>
    private static double Envelope(double t, double seconds, double attack, double release) =>
        Math.Min(attack > 0 ? Math.Min(1, t / attack) : 1, release > 0 ? Math.Clamp((seconds - t) / release, 0, 1) : 1);

    private static int Length(double seconds) => (int)Math.Round(seconds * SampleRate);

    /// <summary>Two channels that sounds are added to, panned; scaled to a fixed peak at the end.</summary>
    private sealed class StereoMix(double seconds)
    {
        private readonly float[] _left = new float[Length(seconds)];
        private readonly float[] _right = new float[Length(seconds)];

        public void Add(double at, float[] sound, double gain, double pan)
        {
            // Equal-power panning: -1 left, 0 centre, 1 right.
            var angle = (pan + 1) * Math.PI / 4;
            var (left, right) = ((float)(gain * Math.Cos(angle)), (float)(gain * Math.Sin(angle)));
            var start = Length(at);
            for (var i = 0; i < sound.Length && start + i < _left.Length; i++)
            {
                _left[start + i] += sound[i] * left;
                _right[start + i] += sound[i] * right;
            }
        }

        public AudioBuffer ToBuffer()
        {
            var peak = Math.Max(_left.Max(MathF.Abs), _right.Max(MathF.Abs));
            var scale = peak > 0 ? Peak / peak : 1;
            for (var i = 0; i < _left.Length; i++)
            {
                _left[i] *= scale;
                _right[i] *= scale;
            }
            return new AudioBuffer([_left, _right], SampleRate);
        }
    }

    /// <summary>White noise in [-1, 1) from xorshift32: the same numbers on every runtime.</summary>
    private sealed class Noise(uint seed)
    {
        private uint _state = seed;

        public double Next()
        {
            _state ^= _state << 13;
            _state ^= _state >> 17;
            _state ^= _state << 5;
            return _state / 2147483648.0 - 1;
        }
    }
}
