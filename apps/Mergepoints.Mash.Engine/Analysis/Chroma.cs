namespace Mergepoints.Mash.Engine.Analysis;

/// <summary>
/// Folds a power spectrum into 12 pitch classes (C = 0 … B = 11, A4 = 440 Hz): each bin between 60 Hz and 5 kHz
/// adds its power to the class of its nearest equal-tempered note. Below 60 Hz a bin is wider than a semitone.
/// </summary>
internal sealed class Chroma
{
    public const int Classes = 12;
    private const double LowestHertz = 60;
    private const double HighestHertz = 5000;
    private readonly int _firstBin;
    private readonly int[] _classOfBin;

    public Chroma(int fftSize, int sampleRate)
    {
        var binHertz = (double)sampleRate / fftSize;
        _firstBin = (int)Math.Ceiling(LowestHertz / binHertz);
        var last = Math.Min(fftSize / 2, (int)(HighestHertz / binHertz));
        _classOfBin = new int[Math.Max(0, last - _firstBin + 1)];
        for (var k = 0; k < _classOfBin.Length; k++)
        {
            var semitonesFromA4 = (int)Math.Round(12 * Math.Log2((_firstBin + k) * binHertz / 440));
            _classOfBin[k] = ((semitonesFromA4 + 9) % Classes + Classes) % Classes;
        }
    }

    public void Apply(ReadOnlySpan<float> power, Span<float> chroma)
    {
        chroma.Clear();
        var bins = power.Slice(_firstBin, _classOfBin.Length);
        for (var k = 0; k < bins.Length; k++)
        {
            chroma[_classOfBin[k]] += bins[k];
        }
    }
}
