//! `cookie-policy`: a site's cookie policy, checked outside the Rust build.
//!
//! ```text
//! cookie-policy check [POLICY]     the derive's diagnostics, for any site's CI
//! cookie-policy render [POLICY] --format markdown|html|json|tcf|cookieconsent [--lang LANG] [-o FILE]
//! cookie-policy audit [--policy POLICY] [--pages N] [--format text|json|markdown|html] [-o FILE] URL...
//! cookie-policy audit --har FILE [--policy POLICY] [--format ...]
//! cookie-policy consents --log FILE export [--since DATE] [--format csv|json]
//! cookie-policy consents --log FILE show CONSENT_ID
//! cookie-policy consents --log FILE purge [--older-than DAYS]
//! cookie-policy serve --upstream URL [--policy POLICY] [--listen ADDRESS] [--report-only] [--inject-banner] [--prefix PATH] [--log FILE|URL]
//! ```
//!
//! Exit codes: 0 when all is well, 1 when the policy has mistakes, 2 on bad
//! usage or input that cannot be read. See `docs/cli.md`.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod audit;
mod check;
mod consents;
mod escape;
mod load;
mod render;
mod serve;

/// A website's cookie policy, checked outside the Rust build.
#[derive(Debug, Parser)]
#[command(name = "cookie-policy", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Checks a policy file as `#[derive(CookiePolicy)]` does, and prints
    /// its diagnostics in the same text. Exits 1 when there is a mistake.
    Check {
        /// The policy file.
        #[arg(default_value = "policy.toml")]
        policy: PathBuf,
    },
    /// Writes the policy page (Markdown, HTML) or an export (JSON, IAB TCF
    /// disclosures, the CookieConsent configuration), as the library
    /// renders them from a compiled-in policy.
    Render {
        /// The policy file.
        #[arg(default_value = "policy.toml")]
        policy: PathBuf,
        /// What to write.
        #[arg(long, value_enum)]
        format: render::Format,
        /// The page's language (`en` or `fr`, and one of the policy's); the
        /// policy's default language when not given.
        #[arg(long)]
        lang: Option<String>,
        /// Where to write it; standard output when not given.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Visits a site in headless Chromium once per consent choice (none,
    /// necessary, each category, all, then all withdrawn) and checks every
    /// cookie it stores against the policy. Exits 1 on an undeclared
    /// cookie, one set without consent, one kept after consent is
    /// withdrawn, or one kept longer than declared.
    Audit {
        /// The policy file.
        #[arg(long, default_value = "policy.toml")]
        policy: PathBuf,
        /// The most same-origin pages visited from each URL, breadth first.
        #[arg(long, default_value_t = 10)]
        pages: usize,
        /// The report's format.
        #[arg(long, value_enum, default_value = "text")]
        format: audit::Format,
        /// Where to write the report; standard output when not given.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Reads a recorded HAR instead of visiting URLs: no browser needed.
        #[arg(long, value_name = "FILE")]
        har: Option<PathBuf>,
        /// The Chromium to drive; else `CHROME`, else `chromium` on the PATH.
        #[arg(long, value_name = "PATH")]
        chromium: Option<PathBuf>,
        /// Chromium's `--host-resolver-rules`, to give test hosts names
        /// (`"MAP *.shop.test 127.0.0.1"`).
        #[arg(long, value_name = "RULES")]
        host_resolver_rules: Option<String>,
        /// The pages to start from.
        #[arg(value_name = "URL")]
        urls: Vec<String>,
    },
    /// Reads and trims the consent log a server keeps (`consent_log`):
    /// export records, show one visitor's decisions and the page they were
    /// shown, purge old records.
    Consents {
        /// The consent log: its SQLite file, or a `postgres://` URL.
        #[arg(long, value_name = "FILE|URL")]
        log: String,
        #[command(subcommand)]
        action: consents::Action,
    },
    /// Runs a reverse proxy in front of an application on any stack that
    /// enforces the policy on every response: undeclared and unconsented
    /// cookies removed, withdrawn ones deleted; serves the consent
    /// endpoint, the banner and the policy page under a prefix. Stops on
    /// SIGTERM or ctrl-c, letting requests in flight finish.
    Serve(serve::Args),
}

/// How a command ended: its exit code and what it prints.
pub(crate) enum Outcome {
    /// Everything checked out: exit 0.
    Clean(String),
    /// The input has mistakes the command was asked to find: exit 1.
    Findings { stdout: String, stderr: String },
    /// The command could not do its work (unreadable input): exit 2.
    Failed(String),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Check { policy } => check::check(&policy),
        Command::Render {
            policy,
            format,
            lang,
            output,
        } => render::render(&policy, format, lang.as_deref(), output.as_deref()),
        Command::Audit {
            policy,
            pages,
            format,
            output,
            har,
            chromium,
            host_resolver_rules,
            urls,
        } => audit::audit(&audit::Request {
            policy,
            pages,
            format,
            output,
            har,
            chromium,
            host_resolver_rules,
            urls,
        }),
        Command::Consents { log, action } => consents::run(&log, &action),
        Command::Serve(args) => serve::serve(&args),
    };
    // A closed pipe is no reason to change the exit code.
    let (stdout, stderr, code) = match outcome {
        Outcome::Clean(stdout) => (stdout, String::new(), 0),
        Outcome::Findings { stdout, stderr } => (stdout, stderr, 1),
        Outcome::Failed(stderr) => (String::new(), stderr, 2),
    };
    let _ = std::io::stdout().write_all(stdout.as_bytes());
    let _ = std::io::stderr().write_all(stderr.as_bytes());
    ExitCode::from(code)
}
