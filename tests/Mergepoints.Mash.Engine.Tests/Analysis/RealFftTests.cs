using System.Numerics;
using MathNet.Numerics.IntegralTransforms;
using Mergepoints.Mash.Engine.Analysis;

namespace Mergepoints.Mash.Engine.Tests.Analysis;

public sealed class RealFftTests
{
    [Theory]
    [InlineData(8)]
    [InlineData(2048)]
    public void The_power_spectrum_matches_MathNet_on_random_frames(int size)
    {
        var random = new Random(size);
        var frame = Enumerable.Range(0, size).Select(_ => (float)(2 * random.NextDouble() - 1)).ToArray();
        var power = new float[size / 2 + 1];

        new RealFft(size).PowerSpectrum(frame, power);

        var reference = frame.Select(x => new Complex(x, 0)).ToArray();
        Fourier.Forward(reference, FourierOptions.NoScaling);
        for (var k = 0; k <= size / 2; k++)
        {
            var expected = reference[k].Magnitude * reference[k].Magnitude;
            Assert.True(Math.Abs(power[k] - expected) <= 1e-3 * Math.Max(1, expected), $"bin {k}: {power[k]} against {expected}");
        }
    }
}
