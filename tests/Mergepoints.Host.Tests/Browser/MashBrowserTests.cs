using System.Globalization;
using System.Text;
using Mergepoints.Host.Tests.Infrastructure;
using Mergepoints.Host.Tests.Mash;
using Mergepoints.Mash.Engine.Audio;
using Mergepoints.Testing;
using Mergepoints.Testing.Chromium;
using OpenQA.Selenium;

namespace Mergepoints.Host.Tests.InBrowser;

/// <summary>MonsterMash at <c>/</c> as a person uses it in Chromium, on the site a new user runs.</summary>
public sealed class MashBrowserTests(ShippedSite site) : IClassFixture<ShippedSite>, IDisposable
{
    private readonly HeadlessChromium _chromium = HeadlessChromium.Start();
    private readonly TempDirectory _files = new();

    [Fact]
    public async Task A_user_uploads_two_songs_watches_the_mash_reach_100_percent_plays_it_and_downloads_it()
    {
        var cancel = TestContext.Current.CancellationToken;
        var songA = Path.Combine(_files.Path, "song-a.wav");
        var songB = Path.Combine(_files.Path, "song-b.wav");
        await File.WriteAllBytesAsync(songA, TestSongs.A, cancel);
        await File.WriteAllBytesAsync(songB, TestSongs.B, cancel);

        _chromium.Register(site.Url, "mia", "correct-horse");
        _chromium.Present("#song-a-file").SendKeys(songA);
        _chromium.Present("#song-b-file").SendKeys(songB);
        _chromium.Element("#mode").Click();
        _chromium.Element("#mode option[value=smooth]").Click();
        var mix = SlideMixTo(0.5);
        _chromium.Element("#submit-mash").Click();
        _chromium.Until(driver => new Uri(driver.Url).AbsolutePath.StartsWith("/mashes/", StringComparison.Ordinal), "the mash page");
        var progress = WatchProgressTo100();

        var audio = _chromium.Element("#mash-audio");
        var songId = audio.GetDomAttribute("data-song-id");
        // The page's own play button would do the same; play() says why when the browser refuses to play.
        var playError = _chromium.Script("return arguments[0].play().then(function () { return null; }, function (e) { return String(e); });", audio);
        _chromium.Until(_ => (bool)_chromium.Script("return arguments[0].currentTime > 0 && !arguments[0].paused;", audio)!, "#mash-audio to play");
        var plays = await Eventually.ReadAsync(() => site.Client.GetStringAsync($"api/song/{songId}", cancel), count => long.Parse(count, CultureInfo.InvariantCulture) >= 1, $"the play of song {songId} to reach the counter");
        var shownPlays = _chromium.Until(driver => driver.FindElement(By.CssSelector($".plays[data-song-id='{songId}']")).Text is var text && text != "0" ? text : null, "the page's play count to move");
        _chromium.SaveScreenshot();
        _chromium.Element("#mash-download").Click();
        var download = _chromium.WaitForDownload(TimeSpan.FromSeconds(60));
        var bytes = await File.ReadAllBytesAsync(download, cancel);
        var mash = WavReader.Read(bytes);
        var original = WavReader.Read(TestSongs.A);

        TestContext.Current.TestOutputHelper?.WriteLine($"#mash-progress went {string.Join(" → ", progress)}" +
            (progress.Any(value => value is > 0 and < 100) ? " (intermediate values seen)" : " (no intermediate value seen: the mash was quicker than the page's updates)"));
        Assert.Equal("0.5", mix);
        Assert.Equal("100%", _chromium.Element("#mash-percent").Text);
        Assert.Null(playError);
        Assert.True(long.Parse(plays, CultureInfo.InvariantCulture) >= 1);
        Assert.True(long.Parse(shownPlays, CultureInfo.InvariantCulture) >= 1);
        Assert.EndsWith(".wav", download, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("RIFF", Encoding.ASCII.GetString(bytes, 0, 4));
        Assert.Equal("WAVE", Encoding.ASCII.GetString(bytes, 8, 4));
        Assert.Equal(original.Length, mash.Length);
        Assert.Equal(original.SampleRate, mash.SampleRate);
        Assert.Contains(mash.Channels[0], sample => sample != 0);
    }

    [Fact]
    public async Task An_anonymous_visitor_gets_a_link_to_log_in_that_leads_back_to_the_form()
    {
        using (var account = new Browser(site.Url))
        {
            using var registered = await account.RegisterAsync("noa", "correct-horse");
        }

        _chromium.Open(site.Url);
        var link = _chromium.Element("#login-to-mash");
        var formForAnonymous = _chromium.Has("#mash-form");
        link.Click();
        _chromium.Until(driver => new Uri(driver.Url).AbsolutePath == "/account/login", "the log-in page");
        _chromium.FillAccountForm("noa", "correct-horse", "/");

        Assert.False(formForAnonymous);
        Assert.True(_chromium.Element("#mash-form").Displayed);
        Assert.False(_chromium.Has("#login-to-mash"));
    }

    [Fact]
    public async Task On_an_empty_site_the_demo_button_makes_two_songs_to_pick_from()
    {
        await using var empty = await ShippedSite.StartAsync();
        _chromium.Register(empty.Url, "ola", "correct-horse");

        _chromium.Element("#make-demo").Click();
        var songs = _chromium.Until(
            driver => driver.FindElements(By.CssSelector("#song-a-pick option")).Where(option => option.GetDomProperty("value") is { Length: > 0 }).ToList() is { Count: > 0 } options ? options : null,
            "the demo songs in #song-a-pick", TimeSpan.FromSeconds(60));

        Assert.Equal(2, songs.Count);
        Assert.False(_chromium.Has("#demo-form"));
    }

    /// <summary>Moves the mix slider with the arrow keys, as a person without a mouse would, and returns its value.</summary>
    private string SlideMixTo(double mix)
    {
        var slider = _chromium.Element("#mix");
        var steps = (int)Math.Round((double.Parse(slider.GetDomProperty("value")!, CultureInfo.InvariantCulture) - mix) / 0.05);
        slider.SendKeys(string.Concat(Enumerable.Repeat(steps > 0 ? Keys.ArrowLeft : Keys.ArrowRight, Math.Abs(steps))));
        return slider.GetDomProperty("value")!;
    }

    /// <summary>Every value <c>#mash-progress</c> showed until it reached 100, in order.</summary>
    private List<double> WatchProgressTo100()
    {
        var seen = new List<double>();
        _chromium.Until(driver =>
        {
            var value = double.Parse(driver.FindElement(By.Id("mash-progress")).GetDomProperty("value")!, CultureInfo.InvariantCulture);
            if (seen.Count == 0 || seen[^1] != value)
            {
                seen.Add(value);
            }
            return value >= 100;
        }, "#mash-progress to reach 100", TimeSpan.FromSeconds(120));
        return seen;
    }

    public void Dispose()
    {
        _chromium.Dispose();
        _files.Dispose();
    }
}
