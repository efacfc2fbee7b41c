//! The HTML page in a real browser: Debian's Chromium, headless. It renders
//! the platform's table, and runs no script from hostile policy text, while
//! a control page shows that it does run scripts.
//!
//! Needs `chromium` (`.ci/run` installs it): the tests are ignored by
//! default and run with `--include-ignored`, where a missing Chromium fails
//! them.

use std::path::{Path, PathBuf};

use cookie_policy_chromium::Profile;
use cookie_policy_tests::chromium;

use cookie_policy::{CookiePolicy, Platform, publish};

#[derive(CookiePolicy)]
#[cookie_policy(path = "fixtures/hostile.toml")]
struct Hostile;

/// Runs headless Chromium (`cookie-policy-chromium`'s command: its common
/// flags, the sandbox where the host allows it, a private profile) on
/// `page` with `extra` arguments; returns stdout.
fn run(page: &Path, extra: &[&str]) -> String {
    let profile = Profile::new().unwrap();
    let output = chromium()
        .command(&profile)
        .arg("--virtual-time-budget=2000")
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium starts");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn work_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "cookie-policy-browser-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
#[ignore = "needs chromium (apt-get install -y chromium)"]
fn the_browser_runs_no_script_from_hostile_policy_text() {
    let work = work_dir("hostile");

    // Control: the same browser, the same flags, does run a page's scripts.
    let control = work.join("control.html");
    std::fs::write(
        &control,
        "<!DOCTYPE html><html><body><script>document.documentElement.setAttribute('data-pwned','1');document.title='PWNED'</script></body></html>",
    )
    .unwrap();
    let dom = run(&control, &["--dump-dom"]);
    assert!(
        dom.contains("data-pwned=\"1\"") && dom.contains("<title>PWNED</title>"),
        "{dom}"
    );

    for language in ["en", "fr"] {
        let page = work.join(format!("hostile.{language}.html"));
        std::fs::write(&page, publish::html::<Hostile>(language).unwrap()).unwrap();
        let dom = run(&page, &["--dump-dom"]);
        assert!(!dom.contains("data-pwned=\"1\""), "{dom}");
        assert!(!dom.contains("<title>PWNED</title>"), "{dom}");
        assert!(
            !dom.contains("<script") && !dom.contains("<img") && !dom.contains("<iframe"),
            "{dom}"
        );
        assert_eq!(dom.matches("<table aria-labelledby=").count(), 3, "{dom}");
        assert!(
            dom.contains("&lt;script&gt;alert('PWNED')&lt;/script&gt;"),
            "{dom}"
        );
    }
    let _ = std::fs::remove_dir_all(&work);
}

#[test]
#[ignore = "needs chromium (apt-get install -y chromium)"]
fn the_platform_page_renders_its_table() {
    let work = work_dir("platform");
    let page = work.join("cookies.html");
    std::fs::write(&page, publish::html::<Platform>("en").unwrap()).unwrap();

    let dom = run(&page, &["--dump-dom"]);
    assert!(
        dom.contains("<th scope=\"col\">Cookie name(s)</th>"),
        "{dom}"
    );
    for cookie in Platform::COOKIES {
        assert!(
            dom.contains(&format!("<code>{}</code>", cookie.name())),
            "{dom}"
        );
    }

    // A screenshot that is not blank: a good share of its pixels are ink.
    let screenshot = work.join("cookies.png");
    run(
        &page,
        &[
            "--window-size=1200,900",
            &format!("--screenshot={}", screenshot.display()),
        ],
    );
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(&screenshot).unwrap(),
    ));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    assert_eq!((info.width, info.height), (1200, 900));
    let channels = info.color_type.samples();
    let dark = pixels
        .chunks(channels)
        .filter(|pixel| pixel.iter().take(3).map(|&c| u32::from(c)).sum::<u32>() < 3 * 160)
        .count();
    let share = dark as f64 / f64::from(info.width * info.height);
    assert!(share > 0.01 && share < 0.5, "{share}");
    let _ = std::fs::remove_dir_all(&work);
}
