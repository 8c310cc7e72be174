//! A scenario as a map, for `frontline show`: readable text, Mermaid (for a wiki page) or Graphviz DOT.
//!
//! Each shows the nodes with the customer's lines, the transitions with their conditions and mood changes, the
//! endings (good or bad, and when they trigger) and the scenario-wide reactions. Functions return text; the
//! command layer prints it.

use std::fmt::Write;

use crate::graph::{self, Target, describe};
use crate::scenario::{Line, Outcome, Phase, Scenario};

fn line_text(scenario: &Scenario, line: &Line) -> String {
    match line.variants() {
        [one] => format!("\"{}\"", scenario.render(one)),
        many => {
            let quoted: Vec<String> = many.iter().map(|v| format!("\"{}\"", scenario.render(v))).collect();
            format!("one of: {}", quoted.join(" | "))
        }
    }
}

fn signed(mood: i32) -> String {
    if mood > 0 { format!("+{mood}") } else { mood.to_string() }
}

fn effects(scenario: &Scenario, outcome: &Outcome) -> String {
    let mut parts = Vec::new();
    if outcome.mood != 0 {
        parts.push(format!("mood {}", signed(outcome.mood)));
    }
    if let Some(say) = &outcome.say {
        parts.push(format!("says {}", line_text(scenario, say)));
    }
    if parts.is_empty() { String::new() } else { format!(" ({})", parts.join(", ")) }
}

/// The scenario as readable text.
pub fn text(scenario: &Scenario) -> String {
    let mut out = String::new();
    let customer = scenario.customer.first_name();
    let _ = writeln!(out, "{}: {}", scenario.id, scenario.title);
    let _ = writeln!(
        out,
        "customer {} (mood {}), start at [{}], at most {} replies",
        scenario.customer.name, scenario.customer.mood, scenario.start, scenario.max_turns
    );
    if !scenario.reactions.is_empty() {
        let _ = writeln!(out, "\nReactions (checked on every reply):");
        for reaction in &scenario.reactions {
            let outcome =
                Outcome { mood: reaction.mood, say: reaction.say.clone(), goto: None, end: reaction.end.clone() };
            let end = reaction.end.as_ref().map(|e| format!(" -> end: {e}")).unwrap_or_default();
            let _ = writeln!(out, "  when {}{}{end}", describe(&reaction.when), effects(scenario, &outcome));
        }
    }
    for (id, node) in scenario.nodes.iter() {
        let _ = writeln!(out, "\n[{id}]");
        for (line, phase) in node.beats() {
            let tag = if phase == Phase::Venting { " (venting)" } else { "" };
            let _ = writeln!(out, "  {customer}{tag}: {}", line_text(scenario, line));
        }
        for transition in &node.then {
            let outcome = transition.outcome();
            let condition = transition.when.as_ref().map_or("else".to_string(), |w| format!("when {}", describe(w)));
            let target = match (&outcome.goto, &outcome.end) {
                (Some(node), _) => format!("[{node}]"),
                (None, Some(ending)) => format!("end: {ending}"),
                (None, None) => "?".into(),
            };
            let _ = writeln!(out, "  {condition}{} -> {target}", effects(scenario, &outcome));
        }
    }
    let _ = writeln!(out, "\nEndings:");
    for (id, ending) in scenario.endings.iter() {
        let verdict = if ending.success { "good" } else { "bad" };
        let when = ending.when.map(|w| format!(", when {w}")).unwrap_or_default();
        let _ = writeln!(out, "  {id} ({verdict}{when}): {}", scenario.render(&ending.text));
    }
    out
}

fn mermaid_label(text: &str) -> String {
    text.replace('"', "#quot;").replace('<', "#lt;").replace('>', "#gt;")
}

fn short(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    format!("{}…", cut.trim_end())
}

fn first_line(scenario: &Scenario, node: &str) -> String {
    scenario
        .nodes
        .get(node)
        .and_then(|n| n.beats().next())
        .and_then(|(line, _)| line.variants().first().map(|text| scenario.render(text)))
        .unwrap_or_default()
}

fn edge_label(edge: &graph::Edge) -> String {
    let condition = edge.when.as_ref().map_or("else".to_string(), describe);
    if edge.mood == 0 { condition } else { format!("{condition} (mood {})", signed(edge.mood)) }
}

/// The scenario as a Mermaid flowchart.
pub fn mermaid(scenario: &Scenario) -> String {
    let mut out = String::from("flowchart TD\n");
    let node_id = |id: &str| format!("n_{}", id.replace('-', "_"));
    let ending_id = |id: &str| format!("e_{}", id.replace('-', "_"));
    let _ = writeln!(out, "  start((start)) --> {}", node_id(&scenario.start));
    for id in scenario.nodes.keys() {
        let label = format!("{}<br/>{}", mermaid_label(id), mermaid_label(&short(&first_line(scenario, id), 48)));
        let _ = writeln!(out, "  {}[\"{label}\"]", node_id(id));
    }
    for (id, ending) in scenario.endings.iter() {
        let mark = if ending.success { "✓" } else { "✗" };
        let when = ending.when.map(|w| format!("<br/>{}", mermaid_label(&w.to_string()))).unwrap_or_default();
        let _ = writeln!(out, "  {}([\"{mark} {}{when}\"])", ending_id(id), mermaid_label(id));
    }
    for edge in graph::edges(scenario) {
        let target = match &edge.target {
            Target::Node(node) => node_id(node),
            Target::Ending(ending) => ending_id(ending),
        };
        let _ = writeln!(out, "  {} -->|\"{}\"| {target}", node_id(&edge.from), mermaid_label(&edge_label(&edge)));
    }
    out
}

fn dot_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n"))
}

/// The scenario as a Graphviz DOT digraph.
pub fn dot(scenario: &Scenario) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "digraph {} {{", dot_string(&scenario.id));
    let _ = writeln!(out, "  label={};", dot_string(&scenario.title));
    let _ = writeln!(out, "  node [shape=box, fontname=\"sans-serif\"];");
    let _ = writeln!(out, "  edge [fontname=\"sans-serif\", fontsize=10];");
    let _ = writeln!(out, "  start [shape=circle, label=\"start\"];");
    let _ = writeln!(out, "  start -> {};", dot_string(&scenario.start));
    for id in scenario.nodes.keys() {
        let label = format!("{id}\n{}", short(&first_line(scenario, id), 48));
        let _ = writeln!(out, "  {} [label={}];", dot_string(id), dot_string(&label));
    }
    for (id, ending) in scenario.endings.iter() {
        let (mark, color) = if ending.success { ("good", "darkgreen") } else { ("bad", "firebrick") };
        let when = ending.when.map(|w| format!("\n{w}")).unwrap_or_default();
        let label = format!("{id} ({mark}){when}");
        let _ = writeln!(
            out,
            "  {} [shape=doubleoctagon, color={color}, label={}];",
            dot_string(&format!("end:{id}")),
            dot_string(&label)
        );
    }
    for edge in graph::edges(scenario) {
        let target = match &edge.target {
            Target::Node(node) => node.clone(),
            Target::Ending(ending) => format!("end:{ending}"),
        };
        let _ = writeln!(
            out,
            "  {} -> {} [label={}];",
            dot_string(&edge.from),
            dot_string(&target),
            dot_string(&edge_label(&edge))
        );
    }
    out.push_str("}\n");
    out
}
