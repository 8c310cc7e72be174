//! JSON Schemas of the three file formats, generated from the same Rust types the loader reads, so they cannot
//! drift from it. Editors that speak YAML (through a `# yaml-language-server: $schema=...` comment) use them to
//! complete and validate as the trainer types. The committed copies under `docs/schema/` are tested to equal
//! these.

use clap::ValueEnum;

use crate::rubric::{RUBRIC_SCHEMA, Rubric};
use crate::scenario::{SCENARIO_SCHEMA, Scenario};
use crate::signals::{LEXICON_SCHEMA, Lexicon};

/// A file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// `frontline/scenario@1`
    Scenario,
    /// `frontline/rubric@1`
    Rubric,
    /// `frontline/lexicon@1`
    Lexicon,
}

impl Format {
    /// Every format.
    pub const ALL: [Format; 3] = [Format::Scenario, Format::Rubric, Format::Lexicon];

    /// The format's name (`scenario`).
    pub fn name(self) -> &'static str {
        match self {
            Format::Scenario => "scenario",
            Format::Rubric => "rubric",
            Format::Lexicon => "lexicon",
        }
    }

    /// The file name of its committed schema (`scenario.schema.json`).
    pub fn file_name(self) -> String {
        format!("{}.schema.json", self.name())
    }
}

/// The JSON Schema of a format, as pretty JSON text with a final newline.
pub fn for_format(format: Format) -> String {
    let (mut schema, tag) = match format {
        Format::Scenario => (schemars::schema_for!(Scenario), SCENARIO_SCHEMA),
        Format::Rubric => (schemars::schema_for!(Rubric), RUBRIC_SCHEMA),
        Format::Lexicon => (schemars::schema_for!(Lexicon), LEXICON_SCHEMA),
    };
    schema.insert("title".into(), format!("frontline {} file ({tag})", format.name()).into());
    if let Some(properties) = schema.get_mut("properties").and_then(|p| p.as_object_mut())
        && let Some(line) = properties.get_mut("schema").and_then(|s| s.as_object_mut())
    {
        line.insert("const".into(), tag.into());
    }
    let mut text = serde_json::to_string_pretty(&schema).expect("a schema serialises");
    text.push('\n');
    text
}
