//! The small per-user config file: the trainee's name, asked once and remembered.
//!
//! It lives at `<platform config folder>/frontline/config.yaml` (`~/.config/frontline/config.yaml` on Linux), or
//! where `FRONTLINE_CONFIG` points. Reading never fails a command: a missing or unreadable file is an empty
//! config.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::yaml;

/// What frontline remembers for this user.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The trainee's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trainee: Option<String>,
}

/// Where the config file is.
pub fn path() -> Option<PathBuf> {
    if let Some(explicit) = std::env::var_os("FRONTLINE_CONFIG").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(explicit));
    }
    dirs::config_dir().map(|d| d.join("frontline").join("config.yaml"))
}

/// The config, or an empty one when there is none or it cannot be read.
pub fn load() -> Config {
    path().and_then(|p| std::fs::read_to_string(p).ok()).and_then(|text| yaml::from_str(&text).ok()).unwrap_or_default()
}

/// Saves the config; returns the path written.
pub fn save(config: &Config) -> std::io::Result<PathBuf> {
    let path = path().ok_or_else(|| std::io::Error::other("no config folder on this system"))?;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let text = yaml::to_string(config).map_err(std::io::Error::other)?;
    std::fs::write(&path, format!("# frontline remembers your name here for the next attempt.\n{text}"))?;
    Ok(path)
}
