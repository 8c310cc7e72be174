//! The scenario as a graph: which nodes lead where, and what static analysis finds wrong with it.
//!
//! Nodes are vertices; each transition is an edge to a node (`goto`) or to an ending (`end`). Reactions with `end`
//! can fire from any node. The analysis reports, as [`Problem`]s at the right YAML path: nodes no path reaches,
//! nodes from which no ending can be reached (a customer stuck forever), endings that can never trigger, and
//! transitions shadowed by an earlier one that always matches. `frontline check` and `frontline show` use it.

use std::collections::{BTreeSet, VecDeque};

use crate::diagnostic::Problem;
use crate::scenario::{Condition, MoodTest, Phase, Scenario};
use crate::yaml::YamlPath;

/// Where a transition goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Another node (or the same one).
    Node(String),
    /// An ending.
    Ending(String),
}

/// One transition as an edge.
#[derive(Debug, Clone)]
pub struct Edge {
    /// The node it leaves.
    pub from: String,
    /// Its index in the node's `then`.
    pub index: usize,
    /// Where it goes.
    pub target: Target,
    /// Its condition (`None` for `else`).
    pub when: Option<Condition>,
    /// Its mood change.
    pub mood: i32,
}

/// Every transition of the scenario, in node order.
pub fn edges(scenario: &Scenario) -> Vec<Edge> {
    let mut edges = Vec::new();
    for (id, node) in scenario.nodes.iter() {
        for (index, transition) in node.then.iter().enumerate() {
            let outcome = transition.outcome();
            let target = match (outcome.goto, outcome.end) {
                (Some(node), _) => Target::Node(node),
                (None, Some(ending)) => Target::Ending(ending),
                (None, None) => continue,
            };
            edges.push(Edge { from: id.to_string(), index, target, when: transition.when.clone(), mood: outcome.mood });
        }
    }
    edges
}

/// The YAML path of a transition.
pub fn transition_path(node: &str, index: usize) -> YamlPath {
    YamlPath::root().key("nodes").key(node).key("then").index(index)
}

/// Nodes reachable from the start.
pub fn reachable(scenario: &Scenario) -> BTreeSet<String> {
    let edges = edges(scenario);
    let mut seen = BTreeSet::new();
    let mut queue = VecDeque::from([scenario.start.clone()]);
    while let Some(node) = queue.pop_front() {
        if !scenario.nodes.contains_key(&node) || !seen.insert(node.clone()) {
            continue;
        }
        for edge in edges.iter().filter(|e| e.from == node) {
            if let Target::Node(next) = &edge.target {
                queue.push_back(next.clone());
            }
        }
    }
    seen
}

/// Whether a mood test can hold for some mood in 0-100.
fn satisfiable(test: &MoodTest) -> bool {
    (0..=100).any(|mood| test.holds(mood))
}

/// Whether a condition holds for every reply made at a node whose last beat has `phase`.
fn always_holds(condition: &Condition, phase: Phase) -> bool {
    condition.signal.is_none()
        && condition.all.is_empty()
        && condition.any.is_empty()
        && condition.none.is_empty()
        && condition.phase.is_none_or(|p| p == phase)
        && condition.mood.is_none_or(|m| (0..=100).all(|mood| m.holds(mood)))
}

/// Everything the graph analysis finds.
pub fn problems(scenario: &Scenario) -> Vec<Problem> {
    let mut problems = Vec::new();
    let root = YamlPath::root();
    let edges = edges(scenario);
    let reached = reachable(scenario);

    for id in scenario.nodes.keys() {
        if !reached.contains(id) {
            problems.push(Problem::new(
                root.key("nodes").key(id),
                format!("node \"{id}\" is never reached: no path from start \"{}\" leads to it", scenario.start),
            ));
        }
    }

    // Nodes from which an explicit ending is reachable, found backwards from the edges that end.
    let reaction_ends = scenario.reactions.iter().any(|r| r.end.is_some());
    let mood_ends = scenario.endings.iter().any(|(_, e)| e.when.is_some_and(|w| satisfiable(&w)));
    let mut can_end: BTreeSet<String> =
        edges.iter().filter(|e| matches!(e.target, Target::Ending(_))).map(|e| e.from.clone()).collect();
    loop {
        let before = can_end.len();
        for edge in &edges {
            if let Target::Node(next) = &edge.target
                && can_end.contains(next)
            {
                can_end.insert(edge.from.clone());
            }
        }
        if can_end.len() == before {
            break;
        }
    }
    if !reaction_ends && !mood_ends {
        for id in reached.iter().filter(|id| !can_end.contains(*id)) {
            problems.push(Problem::new(
                root.key("nodes").key(id.as_str()),
                format!(
                    "from node \"{id}\" no ending can be reached: the customer would be stuck until the turn limit"
                ),
            ));
        }
    }

    for (id, ending) in scenario.endings.iter() {
        let path = root.key("endings").key(id);
        match &ending.when {
            Some(test) if !satisfiable(test) => problems.push(Problem::new(
                path.key("when"),
                format!("ending \"{id}\" can never trigger: \"{}\" never holds for a mood of 0-100", test),
            )),
            Some(_) => {}
            None => {
                let used = edges.iter().any(|e| e.target == Target::Ending(id.to_string()))
                    || scenario.reactions.iter().any(|r| r.end.as_deref() == Some(id));
                if !used {
                    problems.push(Problem::new(
                        path,
                        format!("ending \"{id}\" can never trigger: it has no `when` and no transition ends with it"),
                    ));
                }
            }
        }
    }

    for (id, node) in scenario.nodes.iter() {
        let last_phase = node.beats().last().map_or(Phase::Resolving, |(_, phase)| phase);
        let mut earlier: Vec<(usize, &Condition)> = Vec::new();
        for (index, transition) in node.then.iter().enumerate() {
            let Some(when) = &transition.when else { continue };
            if let Some((catch_all, _)) = earlier.iter().find(|(_, c)| always_holds(c, last_phase)) {
                problems.push(Problem::new(
                    transition_path(id, index),
                    format!("this transition can never run: then[{catch_all}] before it always matches"),
                ));
            } else if let Some((twin, _)) = earlier.iter().find(|(_, c)| same_condition(c, when)) {
                problems.push(Problem::new(
                    transition_path(id, index),
                    format!("this transition can never run: then[{twin}] before it has the same condition"),
                ));
            }
            earlier.push((index, when));
        }
    }
    problems
}

fn same_condition(a: &Condition, b: &Condition) -> bool {
    let set = |v: &Vec<String>| v.iter().cloned().collect::<BTreeSet<_>>();
    a.signal == b.signal
        && set(&a.all) == set(&b.all)
        && set(&a.any) == set(&b.any)
        && set(&a.none) == set(&b.none)
        && a.phase == b.phase
        && a.mood == b.mood
}

/// A condition as short text: `any: apology, empathy; none: blame`.
pub fn describe(condition: &Condition) -> String {
    let mut parts = Vec::new();
    if let Some(signal) = &condition.signal {
        parts.push(signal.clone());
    }
    for (label, list) in [("all", &condition.all), ("any", &condition.any), ("none", &condition.none)] {
        if !list.is_empty() {
            parts.push(format!("{label}: {}", list.join(", ")));
        }
    }
    if let Some(phase) = condition.phase {
        parts.push(format!("phase {phase}"));
    }
    if let Some(mood) = &condition.mood {
        parts.push(mood.to_string());
    }
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario(nodes: &str, endings: &str) -> Scenario {
        let text = format!(
            "schema: frontline/scenario@1\nid: g\ntitle: G\ndifficulty: 1\nrubric: r\ncustomer: {{ name: A B, mood: 50 }}\nstart: a\nnodes:\n{nodes}endings:\n{endings}"
        );
        crate::yaml::from_str(&text).unwrap()
    }

    fn messages(s: &Scenario) -> Vec<String> {
        problems(s).into_iter().map(|p| format!("{}: {}", p.path, p.message)).collect()
    }

    #[test]
    fn a_sound_graph_has_no_problems() {
        let s = scenario(
            "  a:\n    say: x\n    then:\n      - when: { signal: apology }\n        goto: b\n      - else: { goto: a }\n  b:\n    say: y\n    then:\n      - else: { end: done }\n",
            "  done: { text: ok }\n",
        );
        assert_eq!(messages(&s), Vec::<String>::new());
    }

    #[test]
    fn finds_unreachable_and_stuck_nodes() {
        let s = scenario(
            "  a:\n    say: x\n    then:\n      - else: { goto: a }\n  b:\n    say: y\n    then:\n      - else: { end: done }\n",
            "  done: { text: ok }\n",
        );
        assert_eq!(
            messages(&s),
            [
                "nodes.b: node \"b\" is never reached: no path from start \"a\" leads to it",
                "nodes.a: from node \"a\" no ending can be reached: the customer would be stuck until the turn limit",
            ]
        );
    }

    #[test]
    fn finds_endings_that_never_trigger_and_shadowed_transitions() {
        let s = scenario(
            "  a:\n    say: x\n    then:\n      - when: { phase: resolving }\n        end: done\n      - when: { signal: apology }\n        end: done\n      - else: { end: done }\n",
            "  done: { text: ok }\n  never: { text: no }\n  impossible: { when: \"mood > 100\", text: no }\n",
        );
        assert_eq!(
            messages(&s),
            [
                "endings.never: ending \"never\" can never trigger: it has no `when` and no transition ends with it",
                "endings.impossible.when: ending \"impossible\" can never trigger: \"mood > 100\" never holds for a mood of 0-100",
                "nodes.a.then[1]: this transition can never run: then[0] before it always matches",
            ]
        );
    }

    #[test]
    fn duplicate_conditions_shadow_the_later_one() {
        let s = scenario(
            "  a:\n    say: x\n    then:\n      - when: { any: [apology, empathy] }\n        end: done\n      - when: { any: [empathy, apology] }\n        goto: a\n      - else: { end: done }\n",
            "  done: { text: ok }\n",
        );
        assert_eq!(
            messages(&s),
            ["nodes.a.then[1]: this transition can never run: then[0] before it has the same condition"]
        );
    }
}
