namespace Mergepoints.Mash.Engine.Audio;

/// <summary>
/// Band-limited sample-rate conversion (windowed sinc, 8 zero crossings, a table of 256 phases) and downmixing.
/// Hand-written because no resampling library is in our package source; the analysis only needs a clean
/// 22,050 Hz mono signal, and rendering B at A's rate needs no more than that quality either.
/// </summary>
internal static class Resampler
{
    private const int ZeroCrossings = 8;
    private const int Phases = 256;
    private const double Cutoff = 0.95;

    /// <summary>The average of every channel.</summary>
    public static float[] Mono(AudioBuffer audio)
    {
        if (audio.ChannelCount == 1)
        {
            return audio.Channels[0];
        }
        var mono = new float[audio.Length];
        var scale = 1f / audio.ChannelCount;
        foreach (var channel in audio.Channels)
        {
            for (var i = 0; i < mono.Length; i++)
            {
                mono[i] += channel[i] * scale;
            }
        }
        return mono;
    }

    /// <summary>
    /// <paramref name="audio"/> at <paramref name="sampleRate"/> with <paramref name="channelCount"/> channels:
    /// mono is copied to every channel, more channels than asked for are averaged to mono first.
    /// </summary>
    public static AudioBuffer Convert(AudioBuffer audio, int sampleRate, int channelCount, CancellationToken cancellationToken)
    {
        float[][] sources = audio.ChannelCount == channelCount ? [.. audio.Channels] : [Mono(audio)];
        var converted = sources.Select(s => Resample(s, audio.SampleRate, sampleRate, cancellationToken)).ToArray();
        return new AudioBuffer(Enumerable.Range(0, channelCount).Select(c => converted[Math.Min(c, converted.Length - 1)]).ToArray(), sampleRate);
    }

    public static float[] Resample(float[] input, int fromRate, int toRate, CancellationToken cancellationToken)
    {
        if (fromRate == toRate)
        {
            return input;
        }
        var scale = Math.Min(1.0, (double)toRate / fromRate);
        var halfWidth = (int)Math.Ceiling(ZeroCrossings / scale);
        var taps = 2 * halfWidth;
        var table = Table(scale, halfWidth);
        var step = (double)fromRate / toRate;
        var output = new float[(int)((long)input.Length * toRate / fromRate)];
        const int block = 16384;
        Parallel.For(0, (output.Length + block - 1) / block, new ParallelOptions { CancellationToken = cancellationToken }, b =>
        {
            var end = Math.Min(output.Length, (b + 1) * block);
            for (var j = b * block; j < end; j++)
            {
                var t = j * step;
                var i0 = (int)t;
                var phase = (int)Math.Round((t - i0) * Phases);
                if (phase == Phases)
                {
                    phase = 0;
                    i0++;
                }
                var first = i0 - halfWidth + 1;
                var weights = table.AsSpan(phase * taps, taps);
                var sum = 0f;
                if (first >= 0 && first + taps <= input.Length)
                {
                    var samples = input.AsSpan(first, taps);
                    for (var k = 0; k < taps; k++)
                    {
                        sum += samples[k] * weights[k];
                    }
                }
                else
                {
                    for (var k = 0; k < taps; k++)
                    {
                        var i = first + k;
                        if (i >= 0 && i < input.Length)
                        {
                            sum += input[i] * weights[k];
                        }
                    }
                }
                output[j] = sum;
            }
        });
        return output;
    }

    // Row p holds the taps for an output sample p/Phases of an input sample after input sample i0, at offsets
    // -halfWidth+1..halfWidth; each row sums to 1, so a constant passes unchanged.
    private static float[] Table(double scale, int halfWidth)
    {
        var taps = 2 * halfWidth;
        var table = new float[Phases * taps];
        var row = new double[taps];
        for (var p = 0; p < Phases; p++)
        {
            var fraction = (double)p / Phases;
            var sum = 0.0;
            for (var k = 0; k < taps; k++)
            {
                var d = k - halfWidth + 1 - fraction;
                var x = d * scale * Cutoff;
                var sinc = Math.Abs(x) < 1e-9 ? 1.0 : Math.Sin(Math.PI * x) / (Math.PI * x);
                var window = Math.Abs(d) >= halfWidth ? 0.0 : 0.5 + 0.5 * Math.Cos(Math.PI * d / halfWidth);
                row[k] = sinc * window;
                sum += row[k];
            }
            for (var k = 0; k < taps; k++)
            {
                table[p * taps + k] = (float)(row[k] / sum);
            }
        }
        return table;
    }
}
