namespace Mergepoints.Mash.Engine.Analysis;

/// <summary>
/// Mel-frequency cepstral coefficients: the orthonormal DCT-II of a log-mel frame, first coefficients only. They
/// stand in for the Echo Nest's 12 timbre numbers: the overall shape of the spectrum, not its pitches.
/// </summary>
internal sealed class Mfcc
{
    private readonly float[] _basis;
    private readonly int _bands;

    public Mfcc(int coefficients, int bands)
    {
        Coefficients = coefficients;
        _bands = bands;
        _basis = new float[coefficients * bands];
        for (var c = 0; c < coefficients; c++)
        {
            var norm = Math.Sqrt((c == 0 ? 1.0 : 2.0) / bands);
            for (var b = 0; b < bands; b++)
            {
                _basis[c * bands + b] = (float)(norm * Math.Cos(Math.PI * c * (b + 0.5) / bands));
            }
        }
    }

    public int Coefficients { get; }

    public void Apply(ReadOnlySpan<float> logMel, Span<float> coefficients)
    {
        for (var c = 0; c < Coefficients; c++)
        {
            var row = _basis.AsSpan(c * _bands, _bands);
            var sum = 0f;
            for (var b = 0; b < _bands; b++)
            {
                sum += row[b] * logMel[b];
            }
            coefficients[c] = sum;
        }
    }
}
