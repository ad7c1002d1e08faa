namespace Mergepoints.Mash.Engine.Analysis;

/// <summary>
/// Triangular filters evenly spaced on the mel scale (HTK's formula, 2595·log10(1 + f/700)) from 0 Hz to Nyquist,
/// each normalized to unit area as Slaney's are, kept sparse: a band touches only the few bins under its triangle.
/// </summary>
internal sealed class MelFilterBank
{
    private readonly int[] _firstBin;
    private readonly float[][] _weights;

    public MelFilterBank(int bands, int fftSize, int sampleRate)
    {
        Bands = bands;
        var bins = fftSize / 2 + 1;
        var maxMel = Mel(sampleRate / 2.0);
        var edges = Enumerable.Range(0, bands + 2).Select(i => Hertz(maxMel * i / (bands + 1))).ToArray();
        _firstBin = new int[bands];
        _weights = new float[bands][];
        for (var b = 0; b < bands; b++)
        {
            var (low, centre, high) = (edges[b], edges[b + 1], edges[b + 2]);
            var weights = new List<float>();
            var first = -1;
            for (var k = 0; k < bins; k++)
            {
                var f = (double)k * sampleRate / fftSize;
                var w = f <= low || f >= high ? 0 : f <= centre ? (f - low) / (centre - low) : (high - f) / (high - centre);
                if (w > 0)
                {
                    first = first < 0 ? k : first;
                    weights.Add((float)(w * 2 / (high - low)));
                }
                else if (first >= 0)
                {
                    break;
                }
            }
            // A band narrower than a bin at the bottom of the scale takes the bin nearest its centre.
            _firstBin[b] = first >= 0 ? first : (int)Math.Round(centre * fftSize / sampleRate);
            _weights[b] = weights.Count > 0 ? [.. weights] : [(float)(2 / (high - low))];
        }
    }

    public int Bands { get; }

    public void Apply(ReadOnlySpan<float> power, Span<float> mel)
    {
        for (var b = 0; b < _weights.Length; b++)
        {
            var weights = _weights[b];
            var bins = power.Slice(_firstBin[b], weights.Length);
            var sum = 0f;
            for (var k = 0; k < weights.Length; k++)
            {
                sum += bins[k] * weights[k];
            }
            mel[b] = sum;
        }
    }

    private static double Mel(double hertz) => 2595 * Math.Log10(1 + hertz / 700);

    private static double Hertz(double mel) => 700 * (Math.Pow(10, mel / 2595) - 1);
}
