/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <errno.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"

enum op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_RE, OP_NRE };

enum node_kind { N_OR, N_AND, N_NOT, N_CMP, N_BARE };

struct operand {
	int column;          /* >= 0: a column; -1: a literal */
	enum filter_type type;
	char *text;          /* literal text */
	double num;          /* literal number */
};

struct node {
	enum node_kind kind;
	struct node *a, *b;  /* OR/AND: both; NOT: a */
	struct operand l, r; /* CMP: both; BARE: l */
	enum op op;
	regex_t re;
	bool has_re;
};

struct filter {
	struct node *root;
};

enum tok_kind { T_END, T_LPAREN, T_RPAREN, T_AND, T_OR, T_NOT, T_OP, T_NAME, T_NUMBER, T_STRING };

struct parser {
	const char *s;
	size_t pos;          /* of the current token */
	size_t next;         /* after it */
	enum tok_kind tok;
	enum op op;
	size_t tstart, tlen; /* token text */
	char *str;           /* unquoted string token, owned until taken */
	filter_lookup_fn lookup;
	struct filter_error *err;
	int depth;
	size_t nodes;        /* bounded, so evaluating and freeing never recurse too deep */
};

#define FILTER_MAX_NODES 4096

static struct node *new_node(struct parser *p)
{
	if (++p->nodes > FILTER_MAX_NODES)
		return NULL;
	return calloc(1, sizeof(struct node));
}

static int fail(struct parser *p, size_t pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(struct parser *p, size_t pos, const char *fmt, ...)
{
	va_list ap;
	if (p->err->msg[0])
		return -EINVAL; /* keep the first, innermost error */
	p->err->pos = pos;
	va_start(ap, fmt);
	vsnprintf(p->err->msg, sizeof(p->err->msg), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static const struct {
	const char *text;
	enum tok_kind kind;
	enum op op;
} words[] = {
	{ "&&", T_AND, 0 }, { "||", T_OR, 0 }, { "==", T_OP, OP_EQ }, { "!=", T_OP, OP_NE },
	{ "<=", T_OP, OP_LE }, { ">=", T_OP, OP_GE }, { "=~", T_OP, OP_RE }, { "!~", T_OP, OP_NRE },
	{ "<", T_OP, OP_LT }, { ">", T_OP, OP_GT }, { "!", T_NOT, 0 }, { "(", T_LPAREN, 0 }, { ")", T_RPAREN, 0 },
};

static const struct {
	const char *text;
	enum tok_kind kind;
	enum op op;
} keywords[] = {
	{ "and", T_AND, 0 }, { "or", T_OR, 0 }, { "not", T_NOT, 0 }, { "eq", T_OP, OP_EQ }, { "ne", T_OP, OP_NE },
	{ "lt", T_OP, OP_LT }, { "le", T_OP, OP_LE }, { "gt", T_OP, OP_GT }, { "ge", T_OP, OP_GE },
};

static int lex(struct parser *p)
{
	const char *s = p->s;
	size_t i = p->next;

	free(p->str);
	p->str = NULL;
	while (s[i] && isspace((unsigned char)s[i]))
		i++;
	p->pos = i;
	if (!s[i]) {
		p->tok = T_END;
		p->next = i;
		return 0;
	}
	for (size_t k = 0; k < sizeof(words) / sizeof(*words); k++) {
		size_t n = strlen(words[k].text);
		if (strncmp(s + i, words[k].text, n) == 0) {
			p->tok = words[k].kind;
			p->op = words[k].op;
			p->next = i + n;
			return 0;
		}
	}
	if (s[i] == '"' || s[i] == '\'') {
		char q = s[i];
		size_t j = i + 1, o = 0;
		char *buf = malloc(strlen(s + i) + 1);
		if (!buf)
			return -ENOMEM;
		while (s[j] && s[j] != q) {
			if (s[j] == '\\' && s[j + 1])
				j++;
			buf[o++] = s[j++];
		}
		if (!s[j]) {
			free(buf);
			return fail(p, i, "unterminated string");
		}
		buf[o] = '\0';
		p->str = buf;
		p->tok = T_STRING;
		p->next = j + 1;
		return 0;
	}
	size_t j = i;
	if (isdigit((unsigned char)s[j]) || ((s[j] == '-' || s[j] == '+') && isdigit((unsigned char)s[j + 1]))) {
		j++;
		int dots = 0;
		while (isdigit((unsigned char)s[j]) || s[j] == '.')
			dots += s[j++] == '.';
		/* "1.2.3" or "1." is not a number: never read it as a shorter one */
		if (isalpha((unsigned char)s[j]) || s[j] == '_' || dots > 1 || s[j - 1] == '.')
			return fail(p, i, "malformed number");
		p->tok = T_NUMBER;
	} else if (isalpha((unsigned char)s[j]) || s[j] == '_') {
		while (isalnum((unsigned char)s[j]) || s[j] == '_' || s[j] == '-' || s[j] == '.')
			j++;
		p->tok = T_NAME;
		for (size_t k = 0; k < sizeof(keywords) / sizeof(*keywords); k++)
			if (strlen(keywords[k].text) == j - i && strncasecmp(s + i, keywords[k].text, j - i) == 0) {
				p->tok = keywords[k].kind;
				p->op = keywords[k].op;
			}
	} else
		return fail(p, i, "unexpected character '%c'", s[i]);
	p->tstart = i;
	p->tlen = j - i;
	p->next = j;
	return 0;
}

static void node_free(struct node *n)
{
	if (!n)
		return;
	node_free(n->a);
	node_free(n->b);
	free(n->l.text);
	free(n->r.text);
	if (n->has_re)
		regfree(&n->re);
	free(n);
}

/*
 * glibc's regcomp copies a repeated subexpression once per repetition, and
 * again for every operator stacked on it: "a++++...+" (30 of them) or
 * "((a{99}){99}){99}" take gigabytes (found by fuzzing).  Bound the product
 * of all repetitions in the pattern, which over-counts but never under-counts
 * what regcomp builds; no real filter comes near the limit.
 */
#define REGEX_REPEAT_MAX 100000.0
static bool regex_too_costly(const char *re)
{
	double product = 1;

	/* counted everywhere, inside brackets and after '\\' too: telling
	 * those apart as regcomp does is where such checks go wrong, and
	 * over-counting a literal '+' only matters past a dozen of them */
	bool after_repeat = false;
	for (const char *c = re; *c; c++) {
		bool repeat = *c == '*' || *c == '+' || *c == '?' || *c == '{';
		/* "a++", "a*{2}": meaningless in POSIX, and regcomp's closure
		 * computation over them takes seconds for a dozen */
		if (repeat && after_repeat)
			return true;
		if (*c == '\\' && c[1]) {
			c++;
			after_repeat = false;
			continue;
		}
		after_repeat = repeat;
		if (*c == '*' || *c == '+') {
			product *= 2;
		} else if (*c == '{') {
			/* {m}, {m,} or {m,n}: digits only, so no sign, "inf" or "nan" */
			double lo = 0, hi;
			const char *d = c + 1;
			for (; isdigit((unsigned char)*d); d++)
				lo = lo < REGEX_REPEAT_MAX ? lo * 10 + (*d - '0') : lo;
			hi = lo;
			if (*d == ',') {
				hi = isdigit((unsigned char)d[1]) ? 0 : lo + 1;
				for (d++; isdigit((unsigned char)*d); d++)
					hi = hi < REGEX_REPEAT_MAX ? hi * 10 + (*d - '0') : hi;
			}
			if (*d == '}' && d > c + 1) {
				product *= (hi > lo ? hi : lo) + 1;
				c = d; /* what follows the '}' comes after a repetition */
			} else {
				after_repeat = false; /* not a bound: an ordinary '{' */
			}
		}
		if (product > REGEX_REPEAT_MAX)
			return true;
	}
	return false;
}

static int parse_operand(struct parser *p, struct operand *o)
{
	size_t at = p->pos;
	int r;

	if (p->tok == T_NAME) {
		enum filter_type type;
		int c = p->lookup(p->s + p->tstart, p->tlen, &type);
		if (c < 0)
			return fail(p, at, "unknown column '%.*s'", (int)p->tlen, p->s + p->tstart);
		o->column = c;
		o->type = type;
	} else if (p->tok == T_NUMBER) {
		o->column = -1;
		o->type = FILTER_NUMBER;
		o->text = strndup(p->s + p->tstart, p->tlen);
		if (!o->text)
			return -ENOMEM;
		o->num = strtod(o->text, NULL);
	} else if (p->tok == T_STRING) {
		o->column = -1;
		o->type = FILTER_STRING;
		o->text = p->str;
		p->str = NULL;
	} else
		return fail(p, at, p->tok == T_END ? "expression ends too early" : "expected a column, number or string");
	r = lex(p);
	return r;
}

static int parse_or(struct parser *p, struct node **ret);

static int parse_primary(struct parser *p, struct node **ret)
{
	int r;
	struct node *n;

	if (++p->depth > 200)
		return fail(p, p->pos, "expression nested too deeply");
	if (p->tok == T_LPAREN) {
		size_t open = p->pos;
		if ((r = lex(p)) < 0 || (r = parse_or(p, ret)) < 0)
			return r;
		if (p->tok != T_RPAREN) {
			node_free(*ret);
			*ret = NULL;
			return fail(p, p->tok == T_END ? open : p->pos, p->tok == T_END ? "unbalanced '('" : "expected ')'");
		}
		p->depth--;
		if ((r = lex(p)) < 0) {
			/* on error the caller owns nothing */
			node_free(*ret);
			*ret = NULL;
		}
		return r;
	}
	if (p->tok == T_NOT) {
		if ((r = lex(p)) < 0)
			return r;
		struct node *a = NULL;
		if ((r = parse_primary(p, &a)) < 0)
			return r;
		n = new_node(p);
		if (!n) {
			node_free(a);
			return p->nodes > FILTER_MAX_NODES ? fail(p, p->pos, "expression too long") : -ENOMEM;
		}
		n->kind = N_NOT;
		n->a = a;
		*ret = n;
		p->depth--;
		return 0;
	}
	n = new_node(p);
	if (!n)
		return p->nodes > FILTER_MAX_NODES ? fail(p, p->pos, "expression too long") : -ENOMEM;
	if ((r = parse_operand(p, &n->l)) < 0) {
		node_free(n);
		return r;
	}
	if (p->tok != T_OP) {
		if (n->l.column < 0) {
			node_free(n);
			return fail(p, p->pos, "expected an operator after a literal");
		}
		n->kind = N_BARE;
		*ret = n;
		p->depth--;
		return 0;
	}
	n->kind = N_CMP;
	n->op = p->op;
	size_t oppos = p->pos, rpos;
	if ((r = lex(p)) < 0 || (rpos = p->pos, r = parse_operand(p, &n->r)) < 0) {
		node_free(n);
		return r;
	}
	if (n->op == OP_RE || n->op == OP_NRE) {
		if (n->r.column >= 0 || n->r.type != FILTER_STRING) {
			node_free(n);
			return fail(p, oppos, "=~ and !~ need a quoted regular expression on the right");
		}
		if (regex_too_costly(n->r.text)) {
			node_free(n);
			return fail(p, rpos, "bad regular expression: too many repetitions (one right after another, or nested too deep)");
		}
		int e = regcomp(&n->re, n->r.text, REG_EXTENDED | REG_NOSUB);
		if (e != 0) {
			char why[96];
			regerror(e, &n->re, why, sizeof(why));
			node_free(n);
			return fail(p, rpos, "bad regular expression: %s", why);
		}
		n->has_re = true;
	}
	*ret = n;
	p->depth--;
	return 0;
}

static int parse_binary(struct parser *p, struct node **ret, enum tok_kind tok, enum node_kind kind,
			int (*sub)(struct parser *, struct node **))
{
	struct node *left = NULL;
	int r = sub(p, &left);
	if (r < 0)
		return r;
	while (p->tok == tok) {
		struct node *right = NULL, *n;
		if ((r = lex(p)) < 0 || (r = sub(p, &right)) < 0) {
			node_free(left);
			return r;
		}
		if (!(n = new_node(p))) {
			node_free(left);
			node_free(right);
			return p->nodes > FILTER_MAX_NODES ? fail(p, p->pos, "expression too long") : -ENOMEM;
		}
		n->kind = kind;
		n->a = left;
		n->b = right;
		left = n;
	}
	*ret = left;
	return 0;
}

static int parse_and(struct parser *p, struct node **ret)
{
	return parse_binary(p, ret, T_AND, N_AND, parse_primary);
}

static int parse_or(struct parser *p, struct node **ret)
{
	return parse_binary(p, ret, T_OR, N_OR, parse_and);
}

int filter_parse(const char *expr, filter_lookup_fn lookup, struct filter **ret, struct filter_error *err)
{
	struct parser p = { .s = expr, .lookup = lookup, .err = err };
	struct node *root = NULL;
	int r;

	err->pos = 0;
	err->msg[0] = '\0';
	if ((r = lex(&p)) < 0)
		goto out;
	if (p.tok == T_END) {
		r = fail(&p, 0, "empty expression");
		goto out;
	}
	if ((r = parse_or(&p, &root)) < 0)
		goto out;
	if (p.tok != T_END) {
		node_free(root);
		root = NULL;
		r = fail(&p, p.pos, p.tok == T_RPAREN ? "unbalanced ')'" : "expected 'and', 'or' or the end");
		goto out;
	}
	struct filter *f = malloc(sizeof(*f));
	if (!f) {
		node_free(root);
		r = -ENOMEM;
		goto out;
	}
	f->root = root;
	*ret = f;
	r = 0;
out:
	free(p.str);
	if (r == -EINVAL && !err->msg[0])
		snprintf(err->msg, sizeof(err->msg), "syntax error");
	return r;
}

/* A number from a value; false when it is not one. */
static bool to_number(const char *s, double *ret)
{
	char *end;
	if (!s || !*s)
		return false;
	*ret = strtod(s, &end);
	return *end == '\0';
}

static const char *operand_text(const struct operand *o, filter_value_fn value, void *ctx)
{
	return o->column >= 0 ? value(ctx, o->column) : o->text;
}

static bool eval_cmp(const struct node *n, filter_value_fn value, void *ctx)
{
	const char *l = operand_text(&n->l, value, ctx), *r = operand_text(&n->r, value, ctx);
	int c;

	if (n->op == OP_RE || n->op == OP_NRE) {
		bool m = l && regexec(&n->re, l, 0, NULL, 0) == 0;
		return n->op == OP_RE ? m : !m;
	}
	double x, y;
	if (n->l.type == FILTER_NUMBER && n->r.type == FILTER_NUMBER) {
		/* an empty number equals nothing: only != holds */
		if (!to_number(l, &x) || !to_number(r, &y))
			return n->op == OP_NE;
		c = x < y ? -1 : x > y;
	} else {
		c = strcmp(l ? l : "", r ? r : "");
	}
	switch (n->op) {
	case OP_EQ: return c == 0;
	case OP_NE: return c != 0;
	case OP_LT: return c < 0;
	case OP_LE: return c <= 0;
	case OP_GT: return c > 0;
	case OP_GE: return c >= 0;
	default: return false;
	}
}

static bool eval(const struct node *n, filter_value_fn value, void *ctx)
{
	switch (n->kind) {
	case N_OR: return eval(n->a, value, ctx) || eval(n->b, value, ctx);
	case N_AND: return eval(n->a, value, ctx) && eval(n->b, value, ctx);
	case N_NOT: return !eval(n->a, value, ctx);
	case N_CMP: return eval_cmp(n, value, ctx);
	case N_BARE: {
		const char *v = value(ctx, n->l.column);
		double x;
		if (!v || !*v)
			return false;
		return n->l.type == FILTER_NUMBER && to_number(v, &x) ? x != 0 : true;
	}
	}
	return false;
}

bool filter_eval(const struct filter *f, filter_value_fn value, void *ctx)
{
	return eval(f->root, value, ctx);
}

static void each_column(const struct node *n, void (*fn)(void *, int), void *arg)
{
	if (!n)
		return;
	each_column(n->a, fn, arg);
	each_column(n->b, fn, arg);
	if (n->kind == N_CMP || n->kind == N_BARE) {
		if (n->l.column >= 0)
			fn(arg, n->l.column);
		if (n->kind == N_CMP && n->r.column >= 0)
			fn(arg, n->r.column);
	}
}

void filter_for_each_column(const struct filter *f, void (*fn)(void *arg, int column), void *arg)
{
	each_column(f->root, fn, arg);
}

void filter_free(struct filter *f)
{
	if (!f)
		return;
	node_free(f->root);
	free(f);
}
