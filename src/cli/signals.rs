//! `frontline signals`: which signals a reply triggers, which lexicon entries matched, and what was cancelled
//! (an exception or a negation): the trainer's "why did this not count as an apology?".

use std::io::Read;

use clap::Args;
use colored::Colorize;
use serde::Serialize;

use super::{Context, Status, TextOrJson};
use crate::signals::{Cancelled, Detection, MAX_REPLY_BYTES, Vocabulary};

/// Options of `frontline signals`.
#[derive(Debug, Args)]
pub struct SignalsArgs {
    /// The reply to analyse; `-` or nothing reads it from standard input.
    #[arg(value_name = "TEXT|-")]
    pub text: Option<String>,
    /// Also detect this scenario's customer name and facts (customer_name, fact:KEY).
    #[arg(long, value_name = "SCENARIO")]
    pub scenario: Option<String>,
    /// Lexicon language.
    #[arg(long, default_value = "en")]
    pub lang: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    pub format: TextOrJson,
}

#[derive(Serialize)]
struct Report<'a> {
    text: &'a str,
    signals: &'a [Detection],
    cancelled: &'a [Cancelled],
}

pub fn run(context: &mut Context, args: &SignalsArgs) -> anyhow::Result<Status> {
    let text = match args.text.as_deref() {
        Some(text) if text != "-" => text.to_string(),
        _ => {
            let mut bytes = Vec::new();
            std::io::stdin().take(MAX_REPLY_BYTES as u64 + 1).read_to_end(&mut bytes)?;
            let text = String::from_utf8(bytes).map_err(|_| anyhow::anyhow!("<stdin>: the reply is not UTF-8 text"))?;
            text.strip_suffix('\n').map(|t| t.strip_suffix('\r').unwrap_or(t)).unwrap_or(&text).to_string()
        }
    };
    if text.len() > MAX_REPLY_BYTES {
        anyhow::bail!("the reply is longer than {MAX_REPLY_BYTES} bytes; a reply is at most that");
    }
    let catalog = context.catalog()?;
    if args.lang != catalog.detector.language() {
        anyhow::bail!("no lexicon for language \"{}\" (available: {})", args.lang, catalog.detector.language());
    }
    let vocabulary = match &args.scenario {
        Some(id) => {
            let scenario = catalog.scenario(id)?;
            catalog.detector.vocabulary(&scenario.customer.name, scenario.mentionable_facts())
        }
        None => Vocabulary::default(),
    };
    let analysis = catalog.detector.explain(&text, &vocabulary);
    let out = &mut context.out;
    match args.format {
        TextOrJson::Json => {
            let report = Report { text: &text, signals: &analysis.signals, cancelled: &analysis.cancelled };
            serde_json::to_writer_pretty(&mut *out, &report)?;
            writeln!(out)?;
        }
        TextOrJson::Text => {
            writeln!(out, "\"{text}\"")?;
            if analysis.signals.is_empty() {
                writeln!(out, "  no signals")?;
            }
            let width = analysis.signals.iter().map(|d| d.name.len()).max().unwrap_or(0);
            for d in &analysis.signals {
                writeln!(
                    out,
                    "  {}  \"{}\"  at {}..{}  {}",
                    format!("{:width$}", d.name).green(),
                    d.matched,
                    d.span[0],
                    d.span[1],
                    format!("(lexicon: {})", d.entry).dimmed()
                )?;
            }
            for c in &analysis.cancelled {
                writeln!(out, "  {} {} \"{}\": {}", "not counted:".yellow(), c.name, c.matched, c.reason)?;
            }
        }
    }
    Ok(Status::Success)
}
