using Mergepoints.Mash.Engine.Mashing;
using Mergepoints.Testing.Audio;

namespace Mergepoints.Mash.Engine.Tests.Mashing;

public sealed class LimiterTests
{
    private const int Rate = 44100;

    [Fact]
    public void No_sample_leaves_beyond_full_scale_and_none_changes_sign()
    {
        var quiet = Synth.Sine(200, 1, Rate, 0.5);
        var loud = Synth.Sum(Synth.Sine(150, 1, Rate, 1.6), Synth.NoiseBurst(0, 1, 1, Rate, 1.2));
        var signal = Synth.Concat(quiet, loud, quiet);
        var limited = (float[])signal.Clone();

        Limiter.Apply([limited], Rate, TestContext.Current.CancellationToken);

        Assert.All(limited, s => Assert.InRange(s, -1f, 1f));
        Assert.All(signal.Zip(limited), p => Assert.True(p.First == 0 || Math.Sign(p.First) == Math.Sign(p.Second)));
        Assert.True(limited.Skip(Rate).Take(Rate).Max(Math.Abs) > 0.9f, "the loud part should stay loud");
        // Away from the loud part (more than the 60 ms release), nothing is touched.
        Assert.Equal(signal.Take(Rate - Rate / 10), limited.Take(Rate - Rate / 10));
        Assert.Equal(signal.Skip(2 * Rate + Rate / 10), limited.Skip(2 * Rate + Rate / 10));
    }

    [Fact]
    public void The_gain_is_shared_by_the_channels_so_the_stereo_image_stays()
    {
        var left = Synth.Sine(100, 0.5, Rate, 2.0);
        var right = left.Select(s => s * 0.25f).ToArray();

        Limiter.Apply([left, right], Rate, TestContext.Current.CancellationToken);

        Assert.All(left.Zip(right), p => Assert.Equal(p.First * 0.25f, p.Second, 1e-5f));
    }
}
