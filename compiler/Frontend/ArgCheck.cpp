//===- ArgCheck.cpp - Checking a DSL call against its CallSpec ------------===//
//
// Algorithm of checkCall:
// 1. Bind positional arguments to the spec's arguments in order, then
//    keyword arguments by name (unknown names get a "did you mean").
//    `name` is keyword-only, as in Keras.
// 2. Report an argument bound twice, with a note at the first binding.
// 3. Check each bound value against its ArgType (checkValue), in the order
//    the user wrote them, converting it to a Value; a bad value reports and
//    falls back to the default.
// 4. Report required arguments that were not given, unless a misspelled
//    keyword was already reported with that argument as its suggestion.
//
//===----------------------------------------------------------------------===//
#include "compiler/Frontend/ArgCheck.h"

#include <cmath>
#include <optional>

namespace mnistc {

using dsl::Expr;
using T = ArgType;

std::string baseName(const std::string &dotted) {
  size_t dot = dotted.rfind('.');
  return dot == std::string::npos ? dotted : dotted.substr(dot + 1);
}

std::string describeFound(const Expr &e) {
  switch (e.kind) {
  case Expr::String: return "the string " + dsl::toSource(e);
  case Expr::Name: return "the name " + e.text;
  case Expr::Tuple: return "the tuple " + dsl::toSource(e);
  case Expr::List: return "the list " + dsl::toSource(e);
  case Expr::Call: return "the call " + dsl::toSource(e);
  default: return dsl::toSource(e);
  }
}

namespace {

/// "\"a\", \"b\"" for messages.
std::string quotedList(const std::vector<std::string> &names) {
  std::string s;
  for (size_t i = 0; i < names.size(); ++i)
    s += (i ? ", \"" : "\"") + names[i] + "\"";
  return s;
}

class Checker {
public:
  Checker(const CallSpec &owner, dsl::DiagnosticEngine &diags)
      : owner_(owner), diags_(diags) {}

  /// Step 3: one value against one ArgSpec. Returns nullopt after an error.
  std::optional<Value> check(const Expr &e, const ArgSpec &spec) {
    std::optional<Value> v = convert(e, spec);
    if (v)
      v->loc = e.loc;
    return v;
  }

private:
  std::string what(const ArgSpec &spec) const {
    return "argument '" + spec.name + "' of " + owner_.name;
  }

  std::nullopt_t mismatch(const Expr &e, const ArgSpec &spec,
                          std::string hint = "", std::string fixit = "") {
    std::string msg = what(spec) + " expects " + describe(spec) + ", found " +
                      describeFound(e);
    // A number or name in quotes: say so.
    if (e.kind == Expr::String && !hint.size()) {
      bool numeric = !e.text.empty() &&
                     e.text.find_first_not_of("0123456789.-e") ==
                         std::string::npos;
      if (numeric && spec.type != T::String) {
        hint = "remove the quotes";
        fixit = e.text;
      }
    }
    // A list where a tuple is expected: shape=[28, 28].
    bool tuple = spec.type == T::Pair || spec.type == T::OptionalPair ||
                 spec.type == T::Shape || spec.type == T::ReshapeTarget;
    if (e.kind == Expr::List && tuple && !hint.size() &&
        !e.elements.empty()) {
      std::string inner = dsl::toSource(e);
      inner = inner.substr(1, inner.size() - 2);
      fixit = "(" + inner + (e.elements.size() == 1 ? ",)" : ")");
      hint = "write a tuple: " + fixit;
    }
    if (e.kind == Expr::Name && !hint.size() && spec.type != T::Bool) {
      hint = "put the name in quotes";
      fixit = "\"" + e.text + "\"";
    }
    diags_.error(e.loc, msg + (hint.empty() ? "" : "; " + hint), fixit);
    return std::nullopt;
  }

  std::nullopt_t outOfRange(const Expr &e, const ArgSpec &spec) {
    diags_.error(e.loc, what(spec) + " must be " + describe(spec) +
                            ", found " + dsl::toSource(e));
    return std::nullopt;
  }

  /// A string from a fixed list ("relu", "valid", ...).
  /// `expected` says what would be accepted (default: describe(spec)).
  std::optional<Value> name(const Expr &e, const ArgSpec &spec,
                            const std::vector<std::string> &names,
                            const std::string &noun,
                            const std::string &expected = "") {
    if (e.kind != Expr::String)
      return mismatch(e, spec);
    for (const std::string &n : names)
      if (n == e.text)
        return Value::str(e.text);
    std::string near = dsl::closestMatch(e.text, names);
    std::string msg = "unknown " + noun + " \"" + e.text + "\" for " +
                      what(spec);
    if (!near.empty()) {
      diags_.error(e.loc, msg + "; did you mean \"" + near + "\"?",
                   "\"" + near + "\"");
    } else {
      diags_.error(e.loc, msg + "; expected " +
                              (expected.empty() ? describe(spec) : expected));
    }
    return std::nullopt;
  }

  std::optional<Value> intTuple(const Expr &e, const ArgSpec &spec,
                                bool allowHole) {
    if (e.kind == Expr::Int)
      return mismatch(e, spec, "write a tuple: (" + e.text + ",)",
                      "(" + e.text + ",)");
    if (e.kind != Expr::Tuple || e.elements.empty())
      return mismatch(e, spec);
    Value v;
    v.kind = Value::Ints;
    int holes = 0;
    for (const auto &el : e.elements) {
      if (el->kind != Expr::Int)
        return mismatch(e, spec);
      bool hole = allowHole && el->intValue == -1;
      holes += hole;
      if ((el->intValue <= 0 && !hole) || holes > 1)
        return outOfRange(*el, spec);
      v.ints.push_back(el->intValue);
    }
    return v;
  }

  /// A nested call of a given kind (optimizer, callback, ...).
  std::optional<Value> nested(const Expr &e, const ArgSpec &spec,
                              CallKind kind) {
    if (e.kind != Expr::Call || e.callee->kind != Expr::Name)
      return mismatch(e, spec);
    std::string callee = baseName(e.callee->text);
    const CallSpec *nestedSpec = findCall(callee, kind);
    if (!nestedSpec) {
      std::vector<std::string> names = callNames(kind);
      std::string near = dsl::closestMatch(callee, names);
      std::string known;
      for (size_t i = 0; i < names.size(); ++i)
        known += (i ? ", " : "") + names[i];
      diags_.error(e.callee->loc,
                   "unknown " + std::string(describe(kind)) + " '" + callee +
                       "'" +
                       (near.empty() ? "; expected one of " + known
                                     : "; did you mean '" + near + "'?"),
                   near);
      return std::nullopt;
    }
    return checkCall(e, *nestedSpec, diags_);
  }

  std::optional<Value> convert(const Expr &e, const ArgSpec &spec) {
    switch (spec.type) {
    case T::OptionalInt:
      if (e.kind == Expr::None)
        return Value::none();
      [[fallthrough]];
    case T::PositiveInt:
    case T::NonNegativeInt:
    case T::Int:
      if (e.kind == Expr::Float && std::floor(e.floatValue) == e.floatValue)
        return mismatch(e, spec, "write it without the decimal point");
      if (e.kind != Expr::Int)
        return mismatch(e, spec);
      if ((spec.type == T::PositiveInt && e.intValue <= 0) ||
          (spec.type == T::NonNegativeInt && e.intValue < 0))
        return outOfRange(e, spec);
      return Value::integer(e.intValue);
    case T::OptionalFloat:
      if (e.kind == Expr::None)
        return Value::none();
      [[fallthrough]];
    case T::Float:
    case T::PositiveFloat:
    case T::Fraction:
    case T::UnitInterval: {
      if (!e.isNumber())
        return mismatch(e, spec);
      double f = e.floatValue;
      if ((spec.type == T::PositiveFloat && !(f > 0)) ||
          (spec.type == T::Fraction && !(f >= 0 && f < 1)) ||
          (spec.type == T::UnitInterval && !(f >= 0 && f <= 1)) ||
          !std::isfinite(f))
        return outOfRange(e, spec);
      return Value::real(f);
    }
    case T::Bool:
      if (e.kind != Expr::Bool)
        return mismatch(e, spec);
      return Value::boolean(e.intValue != 0);
    case T::String:
      if (e.kind != Expr::String)
        return mismatch(e, spec);
      return Value::str(e.text);
    case T::Choice:
      return name(e, spec, spec.choices, spec.name);
    case T::Activation:
      if (e.kind == Expr::None)
        return Value::none();
      return name(e, spec, activationNames(), "activation");
    case T::Loss:
      if (e.kind == Expr::String && e.text == "mse")
        return Value::str("mean_squared_error");
      return name(e, spec, lossNames(), "loss");
    case T::Monitor:
      return name(e, spec, monitorNames(), "metric");
    case T::Pair:
    case T::OptionalPair: {
      if (e.kind == Expr::None && spec.type == T::OptionalPair)
        return Value::none();
      if (e.kind == Expr::Int) {
        if (e.intValue <= 0)
          return outOfRange(e, spec);
        return Value::pair(e.intValue, e.intValue);
      }
      if (e.kind != Expr::Tuple || e.elements.size() != 2)
        return mismatch(e, spec);
      for (const auto &el : e.elements) {
        if (el->kind != Expr::Int)
          return mismatch(e, spec);
        if (el->intValue <= 0)
          return outOfRange(*el, spec);
      }
      return Value::pair(e.elements[0]->intValue, e.elements[1]->intValue);
    }
    case T::Shape:
      return intTuple(e, spec, /*allowHole=*/false);
    case T::ReshapeTarget:
      return intTuple(e, spec, /*allowHole=*/true);
    case T::Initializer:
      if (e.kind == Expr::Call) {
        std::optional<Value> init = nested(e, spec, CallKind::Initializer);
        if (!init)
          return std::nullopt;
        return Value::str(init->call->snakeName);
      }
      return name(e, spec, initializerNames(), "initializer");
    case T::Regularizer:
      if (e.kind == Expr::None)
        return Value::none();
      if (e.kind == Expr::String && e.text == "l2")
        return Value::real(0.01);
      if (e.kind == Expr::Call) {
        std::optional<Value> reg = nested(e, spec, CallKind::Regularizer);
        if (!reg)
          return std::nullopt;
        return Value::real(reg->arg("l2").f);
      }
      return mismatch(e, spec);
    case T::Optimizer:
      if (e.kind == Expr::String) {
        const CallSpec *opt = findCall(e.text, CallKind::Optimizer);
        if (!opt) {
          std::string near = dsl::closestMatch(e.text, {"sgd", "adam",
                                                        "rmsprop"});
          diags_.error(e.loc,
                       "unknown optimizer \"" + e.text + "\"" +
                           (near.empty() ? "; expected \"sgd\", \"adam\" or "
                                           "\"rmsprop\""
                                         : "; did you mean \"" + near + "\"?"),
                       near.empty() ? "" : "\"" + near + "\"");
          return std::nullopt;
        }
        Expr bare(Expr::Call, e.loc);
        return checkCall(bare, *opt, diags_);
      }
      return nested(e, spec, CallKind::Optimizer);
    case T::Metrics:
    case T::Callbacks: {
      if (e.kind != Expr::List)
        return mismatch(e, spec, "wrap it in a list: [" + dsl::toSource(e) +
                                     "]",
                        "[" + dsl::toSource(e) + "]");
      Value list = Value::list();
      bool ok = true;
      for (const auto &el : e.elements) {
        std::optional<Value> v =
            spec.type != T::Metrics ? nested(*el, spec, CallKind::Callback)
            : el->kind == Expr::String && el->text == "acc"
                ? Value::str("accuracy") // Keras's alias
                : name(*el, spec, metricNames(), "metric",
                       quotedList(metricNames()));
        if (v) {
          v->loc = el->loc;
          list.items.push_back(*v);
        }
        ok &= v.has_value();
      }
      if (!ok)
        return std::nullopt;
      return list;
    }
    }
    return mismatch(e, spec);
  }

  const CallSpec &owner_;
  dsl::DiagnosticEngine &diags_;
};

std::string argList(const CallSpec &spec) {
  std::string s;
  for (size_t i = 0; i < spec.args.size(); ++i)
    s += (i ? ", " : "") + spec.args[i].name;
  return s.empty() ? "no arguments" : s;
}

} // namespace

Value checkCall(const Expr &call, const CallSpec &spec,
                dsl::DiagnosticEngine &diags) {
  // Step 1 and 2: bind.
  std::vector<const Expr *> bound(spec.args.size(), nullptr);
  std::vector<dsl::Loc> boundAt(spec.args.size());
  std::vector<size_t> order;                       // bound, as written
  std::vector<bool> suggested(spec.args.size());   // by a "did you mean"
  size_t maxPositional = spec.args.size();
  if (maxPositional && spec.args.back().name == "name")
    --maxPositional; // keyword-only
  size_t positional = 0;
  for (const dsl::Argument &a : call.args) {
    size_t index;
    dsl::Loc at = a.keyword.empty() ? a.value->loc : a.keywordLoc;
    if (a.keyword.empty()) {
      index = positional++;
      if (index >= maxPositional) {
        std::string names;
        for (size_t i = 0; i < maxPositional; ++i)
          names += (i ? ", " : "") + spec.args[i].name;
        if (spec.args.empty())
          diags.error(at, spec.name + " takes no arguments; remove this one");
        else if (!maxPositional)
          diags.error(at, spec.name + " takes no positional arguments; "
                                      "remove this one");
        else
          diags.error(at, spec.name + " takes at most " +
                              std::to_string(maxPositional) + " positional " +
                              (maxPositional == 1 ? "argument" : "arguments") +
                              " (" + names + "); remove this one or write "
                              "it as name=value");
        continue;
      }
    } else {
      index = spec.args.size();
      for (size_t i = 0; i < spec.args.size(); ++i)
        if (spec.args[i].name == a.keyword)
          index = i;
      if (index == spec.args.size()) {
        std::vector<std::string> names;
        for (const ArgSpec &s : spec.args)
          names.push_back(s.name);
        std::string near = dsl::closestMatch(a.keyword, names);
        if (a.keyword == "input_shape" || a.keyword == "input_dim") {
          diags.error(at, spec.name + " has no argument '" + a.keyword +
                              "'; the input shape is given once, on the "
                              "model's first line: "
                              "input(shape=(28, 28, 1))");
        } else if (!near.empty()) {
          diags.error(at, spec.name + " has no argument '" + a.keyword +
                              "'; did you mean '" + near + "'?",
                      near);
          for (size_t i = 0; i < spec.args.size(); ++i)
            if (spec.args[i].name == near)
              suggested[i] = true;
        } else {
          diags.error(at, spec.name + " has no argument '" + a.keyword +
                              "'; it takes " + argList(spec));
        }
        continue;
      }
    }
    if (bound[index]) {
      diags.error(at, "argument '" + spec.args[index].name + "' of " +
                          spec.name + " is given twice");
      diags.note(boundAt[index], "first given here");
      continue;
    }
    bound[index] = a.value.get();
    boundAt[index] = at;
    order.push_back(index);
  }

  // Step 3: check, in source order.
  std::vector<Value> values;
  for (const ArgSpec &arg : spec.args)
    values.push_back(arg.defaultValue);
  Checker checker(spec, diags);
  for (size_t i : order)
    if (std::optional<Value> checked = checker.check(*bound[i], spec.args[i]))
      values[i] = *checked;
  // A default optimizer is named by a string ("rmsprop"): expand it like a
  // written one, so every optimizer reaches MLIRGen with all its settings.
  for (size_t i = 0; i < spec.args.size(); ++i)
    if (!bound[i] && spec.args[i].type == T::Optimizer) {
      Expr name(Expr::String, call.loc);
      name.text = spec.args[i].defaultValue.s;
      values[i] = *checker.check(name, spec.args[i]);
    }

  // Step 4: fill in; report what is missing.
  Value result;
  result.kind = Value::Call;
  result.call = &spec;
  result.loc = call.loc;
  for (size_t i = 0; i < spec.args.size(); ++i) {
    const ArgSpec &arg = spec.args[i];
    if (!bound[i] && arg.required && !suggested[i])
      diags.error(call.loc, spec.name + " is missing its required argument '" +
                                arg.name + "' (" + describe(arg) + ")");
    result.args.emplace_back(arg.name, std::move(values[i]));
  }
  return result;
}

} // namespace mnistc
