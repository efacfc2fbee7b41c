//! End to end: the axum example (`examples/axum-consent`) served
//! on 127.0.0.1, talked to with a real HTTP client that keeps cookies the way
//! a browser would be told to.

use std::sync::{Arc, Mutex};

use axum_consent::{Site, app};
use cookie_policy::Category;
use cookie_policy::enforce::{RemovalReason, Report};
use http::header::{COOKIE, SET_COOKIE};

struct Server {
    base: String,
    reports: Arc<Mutex<Vec<Report>>>,
    client: reqwest::Client,
}

impl Server {
    async fn start() -> Server {
        let reports: Arc<Mutex<Vec<Report>>> = Arc::default();
        let sink = Arc::clone(&reports);
        let app = app::app::<Site>(move |report| {
            sink.lock().unwrap().push(report.clone());
        });
        let base = crate::local_server::serve(app).await;
        Server {
            base,
            reports,
            client: reqwest::Client::new(),
        }
    }

    /// Sends a request with these cookies; returns the `Set-Cookie` headers.
    async fn send(&self, method: reqwest::Method, path: &str, cookies: &str) -> Vec<String> {
        // As the site's own page sends it.
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.base))
            .header("sec-fetch-site", "same-origin");
        if !cookies.is_empty() {
            request = request.header(COOKIE, cookies);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 200);
        response
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .map(|value| value.to_str().unwrap().to_owned())
            .collect()
    }

    fn take_reports(&self) -> Vec<Report> {
        std::mem::take(&mut *self.reports.lock().unwrap())
    }
}

fn names(set_cookies: &[String]) -> Vec<&str> {
    set_cookies
        .iter()
        .map(|header| header.split('=').next().unwrap())
        .collect()
}

fn value_of<'a>(set_cookies: &'a [String], name: &str) -> &'a str {
    let header = set_cookies
        .iter()
        .find(|header| header.starts_with(&format!("{name}=")))
        .unwrap();
    header[name.len() + 1..].split(';').next().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_declared_consented_cookies_reach_the_browser() {
    let server = Server::start().await;
    let get = reqwest::Method::GET;
    let post = reqwest::Method::POST;

    // Before any choice: the necessary cookies only.
    let first = server.send(get.clone(), "/", "").await;
    assert_eq!(names(&first), ["sessionid", "csrftoken"]);
    let reports = server.take_reports();
    assert_eq!(reports.len(), 1);
    let removed: Vec<_> = reports[0]
        .removed()
        .iter()
        .map(|r| (r.name().unwrap(), r.reason()))
        .collect();
    assert_eq!(
        removed,
        [
            (
                "_pk_id.1.f00d",
                RemovalReason::NotConsented(Category::Statistical)
            ),
            ("_ga", RemovalReason::Undeclared),
        ]
    );

    // The visitor accepts statistics: the consent cookie arrives...
    let choice = server
        .send(post.clone(), "/consent?accept=statistical", "")
        .await;
    assert_eq!(names(&choice), ["cookies_preferences"]);
    // One consent lifetime: the server keeps the choice exactly as long as
    // the banner's exported configuration says (`expiresAfterDays`).
    let config = cookie_policy::publish::cookieconsent_config::<Site>().unwrap();
    let days: u64 = config
        .split("expiresAfterDays: ")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|days| days.parse().ok())
        .unwrap_or_else(|| panic!("no expiresAfterDays in {config}"));
    let max_age = format!("Max-Age={}", days * 86_400);
    assert!(choice[0].contains(&max_age), "{} vs {max_age}", choice[0]);
    let consent = value_of(&choice, "cookies_preferences").to_owned();
    assert!(consent.ends_with(".necessary+statistical"), "{consent}");
    let jar = format!("cookies_preferences={consent}");
    assert_eq!(
        server.send(get.clone(), "/consent", &jar).await,
        Vec::<String>::new()
    );

    // ... and from then on the statistical cookie too; `_ga` never.
    let second = server.send(get.clone(), "/", &jar).await;
    assert_eq!(names(&second), ["sessionid", "csrftoken", "_pk_id.1.f00d"]);
    let reports = server.take_reports();
    assert_eq!(reports.len(), 1);
    assert_eq!(
        reports[0]
            .undeclared()
            .map(|r| r.name().unwrap())
            .collect::<Vec<_>>(),
        ["_ga"]
    );

    // The visitor withdraws: the new choice, and the deletion of what they hold.
    let jar =
        format!("{jar}; _pk_id.1.f00d=visitor.1700000000; sessionid=s3ss10n; _ga=GA1.1.123.456");
    let withdrawal = server.send(post, "/consent?accept=", &jar).await;
    assert_eq!(names(&withdrawal), ["cookies_preferences", "_pk_id.1.f00d"]);
    assert!(value_of(&withdrawal, "cookies_preferences").ends_with(".necessary"));
    assert_eq!(
        withdrawal[1],
        "_pk_id.1.f00d=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/"
    );

    // A tampered consent counts for nothing.
    let forged = consent
        .replace("necessary+statistical", "necessary+statistical+advertising")
        .replacen('d', "e", 1);
    let third = server
        .send(get, "/", &format!("cookies_preferences={forged}"))
        .await;
    assert_eq!(names(&third), ["sessionid", "csrftoken"]);
}
