// The query language's grammar, for peggy (compiled once when the module loads). Keywords are
// case-insensitive and reserved as bare identifiers (a field named like one is written "quoted");
// function names are not reserved (`count` is a field unless `(` follows).
export const grammar = String.raw`
{{
  // NOT LIKE / NOT IN / IS NOT NULL are the negation of the positive form.
  function wrap(neg, c, loc) { return neg ? { kind: 'not', arg: c, pos: loc.start.offset } : c; }
}}

Query
  = _ SELECT _ items:ItemList
    from:(_ FROM _ n:Ident { return n; })?
    where:(_ WHERE _ c:Or { return c; })?
    groupBy:(_ GROUP _ BY _ g:FieldList { return g; })?
    orderBy:(_ ORDER _ BY _ o:OrderList { return o; })?
    limit:(_ LIMIT _ n:Int { return { n, pos: location().start.offset }; })?
    window:(_ WINDOW _ n:Int _ u:Unit { return { n, unit: u, pos: location().start.offset }; })?
    _ (";" _)?
    { return { items, from: from ?? undefined, where: where ?? undefined, groupBy: groupBy ?? [], orderBy: orderBy ?? [], limit: limit ?? undefined, window: window ?? undefined }; }

ItemList
  = head:Item tail:(_ "," _ i:Item { return i; })* { return [head, ...tail]; }

Item
  = expr:ItemExpr alias:(_ AS _ a:Ident { return a; })? { return { expr, alias: alias ?? undefined, pos: location().start.offset }; }

ItemExpr
  = "*" { return { kind: 'star', pos: location().start.offset }; }
  / Agg
  / Literal
  / Field

Agg
  = fn:AggName _ "(" _ arg:("*" { return null; } / Field) _ ")"
    { return { kind: 'agg', fn: fn.toLowerCase(), arg, pos: location().start.offset }; }

AggName "an aggregate (count, sum, avg, min, max)"
  = name:$("count"i / "sum"i / "avg"i / "min"i / "max"i) &(_ "(") { return name; }

FieldList
  = head:Field tail:(_ "," _ f:Field { return f; })* { return [head, ...tail]; }

OrderList
  = head:OrderItem tail:(_ "," _ o:OrderItem { return o; })* { return [head, ...tail]; }

OrderItem
  = expr:(Agg / Field / Literal) dir:(_ d:(ASC / DESC) { return d; })?
    { return { expr, desc: (dir ?? '').toUpperCase() === 'DESC', pos: location().start.offset }; }

Unit
  = BATCHES { return 'batches'; }
  / SECONDS { return 'seconds'; }

// ---- conditions ----

Or
  = head:And tail:(_ OR _ c:And { return c; })*
    { return tail.length === 0 ? head : { kind: 'or', args: [head, ...tail], pos: location().start.offset }; }

And
  = head:Not tail:(_ AND _ c:Not { return c; })*
    { return tail.length === 0 ? head : { kind: 'and', args: [head, ...tail], pos: location().start.offset }; }

Not
  = NOT _ c:Not { return { kind: 'not', arg: c, pos: location().start.offset }; }
  / Primary

Primary
  = "(" _ c:Or _ ")" { return c; }
  / Predicate

Predicate
  = operand:Operand _ IS _ neg:(NOT _)? NULL
    { return wrap(neg, { kind: 'isNull', operand, pos: location().start.offset }, location()); }
  / operand:Operand _ neg:(NOT _)? IN _ "(" _ values:LiteralList _ ")"
    { return wrap(neg, { kind: 'in', operand, values, pos: location().start.offset }, location()); }
  / operand:Operand _ neg:(NOT _)? LIKE _ s:String
    { return wrap(neg, { kind: 'like', operand, pattern: s, pos: location().start.offset }, location()); }
  / operand:Operand _ CONTAINS _ s:String
    { return { kind: 'contains', operand, text: s, pos: location().start.offset }; }
  / operand:Operand _ MATCHES _ r:Regex
    { return { kind: 'matches', operand, regex: r, pos: location().start.offset }; }
  / left:Operand _ op:CmpOp _ right:Operand
    { return { kind: 'cmp', op: op === '<>' ? '!=' : op, left, right, pos: location().start.offset }; }

CmpOp "a comparison (= != <> < <= > >=)"
  = "<=" / ">=" / "<>" / "!=" / "=" / "<" / ">"

Operand
  = Literal
  / Field

LiteralList
  = head:LiteralValue tail:(_ "," _ v:LiteralValue { return v; })* { return [head, ...tail]; }

// ---- tokens ----

Field "a field"
  = head:Ident tail:("." i:Ident { return i; })* { return { kind: 'field', path: [head, ...tail].join('.'), pos: location().start.offset }; }

Ident "a name"
  = !(Keyword !IdentChar) head:[A-Za-z_] tail:$IdentChar* { return head + tail; }
  / '"' chars:$([^"] / '""')+ '"' { return chars.replace(/""/g, '"'); }

IdentChar = [A-Za-z0-9_]

Literal
  = value:LiteralValue { return { kind: 'literal', value, pos: location().start.offset }; }

LiteralValue
  = String
  / Number
  / TRUE { return true; }
  / FALSE { return false; }
  / NULL { return null; }

String "a 'string'"
  = "'" chars:$([^'] / "''")* "'" { return chars.replace(/''/g, "'"); }

Regex "a 'regex'"
  = s:String {
      try { new RegExp(s, 'u'); } catch (e) { error('MATCHES: invalid regular expression: ' + e.message.replace(/^Invalid regular expression: /, '')); }
      return s;
    }

Number "a number"
  = text:$("-"? [0-9]+ ("." [0-9]+)? ([eE] [+-]? [0-9]+)?) !IdentChar { return Number(text); }

Int "a whole number"
  = text:$[0-9]+ !IdentChar { return Number(text); }

Keyword
  = SELECT / FROM / WHERE / GROUP / BY / ORDER / LIMIT / WINDOW / AND / OR / NOT / IN / IS / NULL
  / LIKE / CONTAINS / MATCHES / AS / ASC / DESC / TRUE / FALSE

SELECT = "select"i !IdentChar
FROM = "from"i !IdentChar
WHERE = "where"i !IdentChar
GROUP = "group"i !IdentChar
BY = "by"i !IdentChar
ORDER = "order"i !IdentChar
LIMIT = "limit"i !IdentChar
WINDOW = "window"i !IdentChar
AND = "and"i !IdentChar
OR = "or"i !IdentChar
NOT = "not"i !IdentChar
IN = "in"i !IdentChar
IS = "is"i !IdentChar
NULL = "null"i !IdentChar
LIKE = "like"i !IdentChar
CONTAINS = "contains"i !IdentChar
MATCHES = "matches"i !IdentChar
AS = "as"i !IdentChar
ASC = t:$"asc"i !IdentChar { return t; }
DESC = t:$"desc"i !IdentChar { return t; }
TRUE = "true"i !IdentChar
FALSE = "false"i !IdentChar
BATCHES = ("batches"i / "batch"i) !IdentChar
SECONDS = ("seconds"i / "second"i) !IdentChar

_ "whitespace"
  = [ \t\r\n]*
`;
