//! Self-tests (自测题) from the `quiz` front matter field: 单选, 多选, 判断 and 填空
//! questions, each checked here so that a question without a right answer never
//! reaches a reader.

use crate::messages::{self, Text};
use serde::Deserialize;
use serde_saphyr::Spanned;

/// A question as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawQuestion {
    #[serde(rename = "type")]
    kind: Spanned<String>,
    question: String,
    #[serde(default)]
    options: Vec<String>,
    #[serde(default)]
    answer: Option<serde_json::Value>,
    #[serde(default)]
    explanation: Option<String>,
}

/// What kind of question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QuestionKind {
    /// 单选: one right option.
    Single,
    /// 多选: several right options.
    Multiple,
    /// 判断: true or false.
    Judge,
    /// 填空: a short written answer.
    Blank,
}

/// A checked question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// Its kind.
    pub kind: QuestionKind,
    /// The question.
    pub question: String,
    /// Options of a choice question.
    pub options: Vec<String>,
    /// Indices of the right options (choice questions).
    pub correct: Vec<usize>,
    /// The right answer of a 判断 question.
    pub truth: bool,
    /// Accepted answers of a 填空 question.
    pub accepted: Vec<String>,
    /// 解析.
    pub explanation: Option<String>,
}

/// The option an answer names: a letter (`B`) or the option's text.
fn option_index(answer: &str, options: &[String]) -> Option<usize> {
    let answer = answer.trim();
    let mut letters = answer.chars();
    if let (Some(letter), None) = (letters.next(), letters.next())
        && letter.is_ascii_alphabetic()
    {
        let i = (letter.to_ascii_uppercase() as u8 - b'A') as usize;
        return (i < options.len()).then_some(i);
    }
    options.iter().position(|o| o.trim() == answer)
}

/// Checks one question; the error says what to fix.
pub(super) fn check(raw: RawQuestion) -> Result<Question, (u64, Text)> {
    let line = raw.kind.referenced.line();
    let fail = |message: Text| Err((line, message));
    let kind = match raw.kind.value.as_str() {
        "single" | "单选" => QuestionKind::Single,
        "multiple" | "多选" => QuestionKind::Multiple,
        "judge" | "判断" => QuestionKind::Judge,
        "blank" | "填空" => QuestionKind::Blank,
        other => {
            return fail(messages::quiz_unknown_type(other));
        }
    };
    let Some(answer) = raw.answer else {
        return fail(messages::quiz_no_answer(&raw.question));
    };
    let mut question = Question {
        kind,
        question: raw.question,
        options: raw.options,
        correct: Vec::new(),
        truth: false,
        accepted: Vec::new(),
        explanation: raw.explanation,
    };
    let texts: Vec<String> = match &answer {
        serde_json::Value::Array(items) => items
            .iter()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
            .collect(),
        serde_json::Value::String(s) => vec![s.clone()],
        other => vec![other.to_string()],
    };
    match kind {
        QuestionKind::Single | QuestionKind::Multiple => {
            if question.options.len() < 2 {
                return fail(messages::quiz_too_few_options(&question.question));
            }
            // Options are lettered A to Z.
            if question.options.len() > 26 {
                return fail(messages::quiz_too_many_options(&question.question));
            }
            for text in &texts {
                match option_index(text, &question.options) {
                    Some(i) if !question.correct.contains(&i) => question.correct.push(i),
                    Some(_) => {}
                    None => {
                        return fail(messages::quiz_answer_not_an_option(
                            text,
                            &question.question,
                        ));
                    }
                }
            }
            if kind == QuestionKind::Single && question.correct.len() != 1 {
                return fail(messages::quiz_single_needs_one(&question.question));
            }
            question.correct.sort_unstable();
        }
        QuestionKind::Judge => {
            question.truth = match answer {
                serde_json::Value::Bool(b) => b,
                serde_json::Value::String(s)
                    if ["对", "正确", "true", "是"].contains(&s.as_str()) =>
                {
                    true
                }
                serde_json::Value::String(s)
                    if ["错", "错误", "false", "否"].contains(&s.as_str()) =>
                {
                    false
                }
                other => {
                    return fail(messages::quiz_judge_answer(
                        &question.question,
                        &other.to_string(),
                    ));
                }
            };
        }
        QuestionKind::Blank => {
            question.accepted = texts
                .into_iter()
                .map(|t| t.trim().to_owned())
                .filter(|t| !t.is_empty())
                .collect();
            if question.accepted.is_empty() {
                return fail(messages::quiz_blank_answer(&question.question));
            }
        }
    }
    Ok(question)
}

#[cfg(test)]
mod tests {
    use crate::config;
    use crate::content::front_matter::parse_page;

    fn errors(yaml: &str) -> Vec<(usize, String)> {
        let config = config::parse("title = \"t\"\n", None).unwrap();
        match parse_page(yaml, &config) {
            Ok(_) => Vec::new(),
            Err(e) => e.into_iter().map(|e| (e.line, e.message.en)).collect(),
        }
    }

    #[test]
    fn every_kind_parses() {
        let config = config::parse("title = \"t\"\n", None).unwrap();
        let page = parse_page(
            "title: x\nquiz:\n  - {type: single, question: 甲, options: [a, b], answer: B}\n  - {type: 多选, question: 乙, options: [a, b, c], answer: [a, C]}\n  - {type: judge, question: 丙, answer: 对}\n  - {type: blank, question: 丁, answer: [五无, 五无乡镇]}\n",
            &config,
        )
        .unwrap();
        assert_eq!(page.quiz[0].correct, [1]);
        assert_eq!(page.quiz[1].correct, [0, 2]);
        assert!(page.quiz[2].truth);
        assert_eq!(page.quiz[3].accepted, ["五无", "五无乡镇"]);
    }

    #[test]
    fn malformed_questions_name_their_line() {
        let e = errors(
            "title: x\nquiz:\n  - type: single\n    question: 甲\n    options: [a, b]\n    answer: C\n",
        );
        assert_eq!(e[0].0, 4, "{e:?}");
        assert!(e[0].1.contains("`C` is not among the options"), "{e:?}");
        let e =
            errors("title: x\nquiz:\n  - type: single\n    question: 甲\n    options: [a, b]\n");
        assert!(e[0].1.contains("has no `answer:`"), "{e:?}");
        let e = errors("title: x\nquiz:\n  - {type: essay, question: 甲, answer: x}\n");
        assert!(e[0].1.contains("`essay` is unknown"), "{e:?}");
        let e = errors("title: x\nquiz:\n  - {type: judge, question: 甲, answer: maybe}\n");
        assert!(e[0].1.contains("true` or `false"), "{e:?}");
        let e = errors(
            "title: x\nquiz:\n  - {type: single, question: 甲, options: [a, b], answer: [A, B]}\n",
        );
        assert!(e[0].1.contains("exactly one answer"), "{e:?}");
    }
}
