using Mergepoints.Mash.Engine.Audio;
using Mergepoints.Testing.Audio;

namespace Mergepoints.Host.Tests.Mash;

/// <summary>Two short songs made in code: notes with clicks on the beat, so both have sounds to cut and match.</summary>
public static class TestSongs
{
    private const int Rate = 22050;

    public static byte[] A { get; } = Song(midi: [60, 64, 67, 72], seconds: 3);

    public static byte[] B { get; } = Song(midi: [57, 62, 65, 69, 74], seconds: 2.5);

    /// <summary>A WAV of <paramref name="seconds"/> (at least the limit-busting size a test needs).</summary>
    public static byte[] OfLength(double seconds) => Song(midi: [55, 59, 62], seconds: seconds);

    private static byte[] Song(int[] midi, double seconds)
    {
        var note = seconds / midi.Length;
        var melody = Synth.Concat([.. midi.Select(m => Synth.Sine(Synth.Note(m), note, Rate, amplitude: 0.3))]);
        var clicks = Synth.ClickTrack(120, melody.Length / (double)Rate, Rate);
        return WavWriter.ToBytes(Synth.Buffer(Synth.Sum(melody, clicks), Rate), WavSampleFormat.Pcm16);
    }
}
