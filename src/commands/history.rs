//! `smm-lint history`: the maturity history of the profiles under PATHs, from git.

use super::ExitStatus;
use crate::audit;
use crate::cli::{HistoryArgs, HistoryFormat};
use crate::context::Context;
use crate::error::Fatal;
use crate::history::{self, Options, Repository};
use std::io::Write;

/// The history of every profile found; exit 0 (a history is not a gate).
pub(crate) fn run(args: &HistoryArgs, out: &mut dyn Write) -> Result<ExitStatus, Fatal> {
    let ctx = Context::new(args.scope.today.as_deref(), args.scope.config.as_deref())?;
    let repo = Repository::find(&args.scope.paths, &ctx)?;
    let since = args
        .since
        .as_deref()
        .map(|s| history::since(&repo, s))
        .transpose()?;
    let options = Options {
        since,
        tags: args.tags,
        max_commits: args
            .max_commits
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(history::DEFAULT_MAX_COMMITS)
            .min(history::MAX_COMMITS_LIMIT),
    };
    if repo.shallow() {
        crate::log::info(
            "note: the repository is a shallow clone: commits before the fetched ones are not in the history (in GitHub Actions check out with `fetch-depth: 0`)",
        );
    }
    let walked = history::walk(&repo, &ctx, &options)?;
    let text = match args.format {
        HistoryFormat::Json => super::report::json(&walked)?,
        HistoryFormat::Md => audit::history::render(audit::history::Format::Md, &walked),
        HistoryFormat::Csv => audit::history::render(audit::history::Format::Csv, &walked),
        HistoryFormat::Html => audit::history::render(audit::history::Format::Html, &walked),
    };
    super::report::emit(&text, args.output.as_deref(), &ctx, out)?;
    Ok(ExitStatus::Success)
}
