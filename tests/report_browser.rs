//! The HTML report in a real browser: headless Chromium renders it to a PNG (the screen) and
//! to a PDF (print, A4), and both are checked: the picture is not blank, the PDF has A4 pages
//! and every section starts a page of its own.
//!
//! Chromium is Debian's `chromium` package (`.ci/run` installs it). On a machine without it
//! this test says so and checks the rest (the page is complete and parses) without rendering.
//! `CRISISDESK_UPDATE_DOCS=1` also writes the screenshot to `docs/report.png` for the README.

mod report_common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crisisdesk::report::{self, Format, view};
use report_common::*;

/// The browser, if there is one.
fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CRISISDESK_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["chromium", "chromium-browser"].map(|name| dir.join(name)))
        .find(|p| p.is_file())
}

/// Runs headless Chromium on a file with extra arguments; gives up (and fails) after two
/// minutes rather than hang the test suite.
fn run_chromium(browser: &Path, page: &Path, args: &[String]) {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chromium starts");
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "chromium failed: {status}");
            return;
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("chromium did not finish rendering {}", page.display());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Share of pixels that are not (nearly) white, and how many distinct colours there are.
fn ink(png_path: &Path) -> (f64, usize, u32, u32) {
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(png_path).unwrap(),
    ));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let pixels = &buf[..info.buffer_size()];
    let mut dark = 0usize;
    let mut colours = std::collections::HashSet::new();
    let total = pixels.len() / channels;
    for px in pixels.chunks_exact(channels) {
        if px[..3.min(channels)].iter().any(|&c| c < 200) {
            dark += 1;
        }
        if colours.len() < 10_000 {
            colours.insert(px[..3.min(channels)].to_vec());
        }
    }
    (
        dark as f64 / total as f64,
        colours.len(),
        info.width,
        info.height,
    )
}

#[test]
fn the_html_report_renders_to_a_picture_and_a4_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = scripted(tmp.path(), true);
    let r = report_at(&dir, "2026-12-05T12:00:00Z");
    let html = report::render(&r, Format::Html);
    let page = tmp.path().join("report.html");
    std::fs::write(&page, &html).unwrap();

    // What needs no browser: the page is whole, every section is there, nothing outside it.
    let doc = scraper::Html::parse_document(&html);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
    let sections: Vec<String> = doc
        .select(&scraper::Selector::parse("section > h2").unwrap())
        .map(|h| h.text().collect())
        .collect();
    let titles: Vec<String> = view::headings(&r).into_iter().map(|(_, h)| h).collect();
    assert_eq!(sections, titles);
    assert!(html.contains("@page { size: A4;") && html.contains("break-before: page"));

    let Some(browser) = chromium() else {
        eprintln!(
            "NOTE: Chromium was not found (install Debian's `chromium` package, as .ci/run does): \
             the browser rendering of the HTML report was NOT checked; the page itself was."
        );
        return;
    };

    // Screen: a phone-sized and a desk-sized picture, neither blank.
    for (name, size) in [("phone", "390,2400"), ("desk", "1280,1600")] {
        let png = tmp.path().join(format!("{name}.png"));
        run_chromium(
            &browser,
            &page,
            &[
                format!("--screenshot={}", png.display()),
                format!("--window-size={size}"),
            ],
        );
        let (dark, colours, width, _) = ink(&png);
        assert!(
            dark > 0.02,
            "{name}: the picture is blank ({dark:.4} of it has ink)"
        );
        assert!(
            colours > 20,
            "{name}: only {colours} colours: nothing rendered"
        );
        assert_eq!(width.to_string(), size.split(',').next().unwrap());
    }
    if std::env::var_os("CRISISDESK_UPDATE_DOCS").is_some() {
        // The README's picture: the same report under a plain title.
        let mut plain = r.clone();
        plain.incident.title = "Customer records exposed".into();
        let readme = tmp.path().join("readme.html");
        std::fs::write(&readme, report::render(&plain, Format::Html)).unwrap();
        let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/report.png");
        run_chromium(
            &browser,
            &readme,
            &[
                format!("--screenshot={}", docs.display()),
                "--window-size=1100,1500".into(),
            ],
        );
    }

    // Print: A4 pages, each section starting a page of its own, in order.
    let pdf = tmp.path().join("report.pdf");
    run_chromium(
        &browser,
        &page,
        &[
            format!("--print-to-pdf={}", pdf.display()),
            "--no-pdf-header-footer".into(),
        ],
    );
    let doc = lopdf::Document::load(&pdf).expect("a PDF");
    let pages = doc.get_pages();
    assert!(
        pages.len() >= titles.len(),
        "{} pages for {} sections",
        pages.len(),
        titles.len()
    );
    for (&n, &page_id) in &pages {
        let media_box = doc
            .get_dictionary(page_id)
            .and_then(|d| d.get(b"MediaBox"))
            .and_then(|b| b.as_array())
            .map(|a| {
                a.iter()
                    .map(|v| v.as_float().unwrap_or(0.0))
                    .collect::<Vec<f32>>()
            })
            .or_else(|_| {
                // Inherited from the page tree.
                let pages_root = doc
                    .catalog()
                    .unwrap()
                    .get(b"Pages")
                    .unwrap()
                    .as_reference()
                    .unwrap();
                doc.get_dictionary(pages_root)
                    .and_then(|d| d.get(b"MediaBox"))
                    .and_then(|b| b.as_array())
                    .map(|a| a.iter().map(|v| v.as_float().unwrap_or(0.0)).collect())
            })
            .unwrap_or_default();
        let (w, h) = (media_box[2] - media_box[0], media_box[3] - media_box[1]);
        assert!(
            (w - 595.0).abs() < 3.0 && (h - 842.0).abs() < 3.0,
            "page {n} is {w}x{h} pt, not A4"
        );
    }
    let texts: Vec<String> = pages
        .keys()
        // Chromium's fonts join "fi" and "fl" into ligatures.
        .map(|&n| {
            doc.extract_text(&[n])
                .unwrap_or_default()
                .replace('\u{fb01}', "fi")
                .replace('\u{fb02}', "fl")
        })
        .collect();
    let mut starts = Vec::new();
    for title in &titles {
        let page = texts
            .iter()
            .position(|t| t.contains(title))
            .unwrap_or_else(|| panic!("no page has {title:?}"));
        starts.push(page);
    }
    assert!(
        starts.windows(2).all(|w| w[0] < w[1]),
        "each section starts a new page, in order: {starts:?}"
    );
    assert_eq!(starts[0], 0, "the summary is on the first page");
    assert!(texts[0].contains("Post-incident report"));
}

#[test]
fn the_exercise_report_says_exercise_on_every_printed_page() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = exercise::scripted_exercise(tmp.path(), true);
    let r = report_at(&dir, "2026-03-20T12:00:00Z");
    let html = report::render(&r, Format::Html);
    let page = tmp.path().join("aar.html");
    std::fs::write(&page, &html).unwrap();
    let doc = scraper::Html::parse_document(&html);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
    let titles: Vec<String> = view::headings(&r).into_iter().map(|(_, h)| h).collect();

    let Some(browser) = chromium() else {
        eprintln!(
            "NOTE: Chromium was not found (install Debian's `chromium` package, as .ci/run does): \
             the printed after-action report was NOT checked; the page itself was."
        );
        return;
    };
    let pdf = tmp.path().join("aar.pdf");
    run_chromium(
        &browser,
        &page,
        &[
            format!("--print-to-pdf={}", pdf.display()),
            "--no-pdf-header-footer".into(),
        ],
    );
    let doc = lopdf::Document::load(&pdf).expect("a PDF");
    let pages = doc.get_pages();
    assert!(pages.len() >= titles.len(), "{} pages", pages.len());
    let texts: Vec<String> = pages
        .keys()
        .map(|&n| {
            doc.extract_text(&[n])
                .unwrap_or_default()
                .replace('\u{fb01}', "fi")
                .replace('\u{fb02}', "fl")
        })
        .collect();
    for (n, text) in texts.iter().enumerate() {
        assert!(
            text.contains("EXERCISE EXERCISE EXERCISE"),
            "page {} of {} does not say EXERCISE: {:?}",
            n + 1,
            texts.len(),
            &text[..text.len().min(300)]
        );
    }
    // Each section starts a page of its own, in order.
    let starts: Vec<usize> = titles
        .iter()
        .map(|title| {
            texts
                .iter()
                .position(|t| t.contains(title.as_str()))
                .unwrap_or_else(|| panic!("no page has {title:?}"))
        })
        .collect();
    assert!(starts.windows(2).all(|w| w[0] < w[1]), "{starts:?}");
    assert!(texts[0].contains("After-action report"));
}
