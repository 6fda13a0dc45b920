//! `devin-docgen [SCHEMA_JSON] --out DIR [--examples DIR] [--templates DIR]`
//!
//! Reads the output of `terraform providers schema -json` from the file SCHEMA_JSON, or
//! from standard input when it is absent or `-`, and writes the Terraform Registry docs
//! layout into `--out`. `--examples` defaults to `examples`; `--templates` defaults to
//! `templates`, which may be absent (every page then uses the default layout).
//! See the library documentation for the page layout and template placeholders.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{anyhow, bail, Context, Result};
use devin_docgen::{render, Inputs};

const USAGE: &str =
    "usage: devin-docgen [SCHEMA_JSON|-] --out DIR [--examples DIR] [--templates DIR]";

/// The command line.
#[derive(Debug)]
struct Args {
    /// `None`: read standard input.
    schema: Option<PathBuf>,
    out: PathBuf,
    examples: PathBuf,
    templates: PathBuf,
    /// `--templates` was given, so its directory must exist.
    templates_given: bool,
}

fn parse_args(args: impl Iterator<Item = String>) -> Result<Args> {
    let mut schema = None;
    let mut out = None;
    let mut examples = PathBuf::from("examples");
    let mut templates = PathBuf::from("templates");
    let mut templates_given = false;
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        let mut value = |flag: &str| {
            args.next()
                .ok_or_else(|| anyhow!("{flag} needs a value\n{USAGE}"))
        };
        match arg.as_str() {
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--examples" => examples = PathBuf::from(value("--examples")?),
            "--templates" => {
                templates = PathBuf::from(value("--templates")?);
                templates_given = true;
            }
            "-h" | "--help" => bail!(USAGE),
            "-" => schema = None,
            s if s.starts_with('-') => bail!("unknown option {s}\n{USAGE}"),
            s => {
                if schema.is_some() {
                    bail!("more than one schema file given\n{USAGE}");
                }
                schema = Some(PathBuf::from(s));
            }
        }
    }
    let out = out.ok_or_else(|| anyhow!("--out is required\n{USAGE}"))?;
    Ok(Args {
        schema,
        out,
        examples,
        templates,
        templates_given,
    })
}

/// Every file under `dir`, keyed by its path relative to `dir` with `/` separators.
fn read_tree(dir: &Path) -> Result<BTreeMap<String, String>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let cannot_read = || format!("cannot read {}", current.display());
        let entries = std::fs::read_dir(&current).with_context(cannot_read)?;
        for entry in entries {
            let path = entry.with_context(cannot_read)?.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let text = std::fs::read_to_string(&path)
                    .with_context(|| format!("cannot read {}", path.display()))?;
                let rel = path.strip_prefix(dir).expect("under dir");
                let key: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                files.insert(key.join("/"), text);
            }
        }
    }
    Ok(files)
}

fn run() -> Result<()> {
    let args = parse_args(std::env::args().skip(1))?;
    let schema_json = match &args.schema {
        Some(path) => std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?,
        None => {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .context("cannot read the schema JSON from standard input")?;
            s
        }
    };
    let examples = read_tree(&args.examples)?;
    let templates = if args.templates_given || args.templates.is_dir() {
        read_tree(&args.templates)?
    } else {
        BTreeMap::new()
    };
    let pages = render(
        &schema_json,
        &Inputs {
            examples,
            templates,
        },
    )
    .map_err(anyhow::Error::msg)?;
    for page in &pages {
        let path = args.out.join(&page.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&path, &page.content)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    eprintln!(
        "devin-docgen: wrote {} pages to {}",
        pages.len(),
        args.out.display()
    );
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // `:#` puts the cause after the context: "cannot read PATH: No such file…".
            eprintln!("devin-docgen: {e:#}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Result<Args, String> {
        parse_args(list.iter().map(|s| s.to_string())).map_err(|e| e.to_string())
    }

    #[test]
    fn parses_flags_and_schema_path() {
        let a = args(&["schema.json", "--out", "docs", "--examples", "ex"]).unwrap();
        assert_eq!(a.schema, Some(PathBuf::from("schema.json")));
        assert_eq!(a.out, PathBuf::from("docs"));
        assert_eq!(a.examples, PathBuf::from("ex"));
        assert_eq!(a.templates, PathBuf::from("templates"));
        assert!(!a.templates_given);
        assert!(args(&["-", "--out", "d"]).unwrap().schema.is_none());
    }

    #[test]
    fn rejects_bad_arguments() {
        assert!(args(&[]).unwrap_err().contains("--out is required"));
        assert!(args(&["--out"]).unwrap_err().contains("needs a value"));
        assert!(args(&["--bogus", "--out", "d"])
            .unwrap_err()
            .contains("unknown option"));
        assert!(args(&["a", "b", "--out", "d"])
            .unwrap_err()
            .contains("more than one"));
    }
}
