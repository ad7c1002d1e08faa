namespace Mergepoints.Mash.Engine.Analysis;

/// <summary>
/// A radix-2 FFT of a real frame, as a complex FFT of half the length and one split pass, with its twiddles and
/// bit reversal computed once. Ours rather than MathNet.Numerics' because it measured faster for the 2048-point
/// frames of the analysis (bench/Mergepoints.Bench.Mash prints both; docs/performance.md has the figures) and
/// allocates nothing per frame. One instance per thread: it keeps its scratch buffers.
/// </summary>
internal sealed class RealFft
{
    private readonly int _size;
    private readonly int _half;
    private readonly int[] _bitReverse;
    private readonly float[] _cos;
    private readonly float[] _sin;
    private readonly float[] _splitCos;
    private readonly float[] _splitSin;
    private readonly float[] _re;
    private readonly float[] _im;

    public RealFft(int size)
    {
        if (size < 4 || (size & (size - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "a power of two, at least 4");
        }
        _size = size;
        _half = size / 2;
        var bits = System.Numerics.BitOperations.Log2((uint)_half);
        _bitReverse = new int[_half];
        for (var i = 0; i < _half; i++)
        {
            var r = 0;
            for (var b = 0; b < bits; b++)
            {
                r |= ((i >> b) & 1) << (bits - 1 - b);
            }
            _bitReverse[i] = r;
        }
        _cos = new float[_half / 2];
        _sin = new float[_half / 2];
        for (var k = 0; k < _half / 2; k++)
        {
            _cos[k] = (float)Math.Cos(2 * Math.PI * k / _half);
            _sin[k] = (float)Math.Sin(2 * Math.PI * k / _half);
        }
        _splitCos = new float[_half + 1];
        _splitSin = new float[_half + 1];
        for (var k = 0; k <= _half; k++)
        {
            _splitCos[k] = (float)Math.Cos(2 * Math.PI * k / size);
            _splitSin[k] = (float)Math.Sin(2 * Math.PI * k / size);
        }
        _re = new float[_half];
        _im = new float[_half];
    }

    /// <summary>|X[k]|² for k = 0..size/2 of the real frame <paramref name="input"/>.</summary>
    public void PowerSpectrum(ReadOnlySpan<float> input, Span<float> power)
    {
        if (input.Length != _size || power.Length != _half + 1)
        {
            throw new ArgumentException($"a frame of {_size} samples and room for {_half + 1} bins");
        }
        Transform(input);
        var re = _re;
        var im = _im;
        for (var k = 0; k <= _half; k++)
        {
            // Z[k] and conj(Z[N/2-k]) give the spectra of the even and the odd samples.
            var a = k == _half ? 0 : k;
            var b = k == 0 ? 0 : _half - k;
            float zr = re[a], zi = im[a], cr = re[b], ci = -im[b];
            var er = 0.5f * (zr + cr);
            var ei = 0.5f * (zi + ci);
            var or = 0.5f * (zi - ci);
            var oi = -0.5f * (zr - cr);
            // X[k] = E[k] + e^{-2πik/N} O[k]
            var wr = _splitCos[k];
            var wi = -_splitSin[k];
            var xr = er + wr * or - wi * oi;
            var xi = ei + wr * oi + wi * or;
            power[k] = xr * xr + xi * xi;
        }
    }

    private void Transform(ReadOnlySpan<float> input)
    {
        var re = _re;
        var im = _im;
        for (var i = 0; i < _half; i++)
        {
            var r = _bitReverse[i];
            re[r] = input[2 * i];
            im[r] = input[2 * i + 1];
        }
        for (var size = 2; size <= _half; size *= 2)
        {
            var halfSize = size / 2;
            var step = _half / size;
            for (var start = 0; start < _half; start += size)
            {
                for (var j = 0; j < halfSize; j++)
                {
                    var k = j * step;
                    var wr = _cos[k];
                    var wi = -_sin[k];
                    var p = start + j;
                    var q = p + halfSize;
                    var tr = re[q] * wr - im[q] * wi;
                    var ti = re[q] * wi + im[q] * wr;
                    re[q] = re[p] - tr;
                    im[q] = im[p] - ti;
                    re[p] += tr;
                    im[p] += ti;
                }
            }
        }
    }
}
