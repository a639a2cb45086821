// The call table of docs/PROTOCOL.md, rendered from the statement table (statement_table.h
// and each call's Args::fields()). tst_protocol_doc fails when the page and this differ;
// CHALK_UPDATE_DOCS=1 makes it write the page instead.
#pragma once

#include "limits.h"

#include <QString>

namespace chalk::protocol {

// Markdown, one row per call: name, fields with their limits, what it needs, the answer to
// the caller, what others receive.
QString callTableMarkdown(const Limits &limits = {});

// The markers around the generated block in docs/PROTOCOL.md.
inline constexpr const char *kCallTableBegin =
    "<!-- generated from app/protocol/statement_table.h: "
    "begin -->";
inline constexpr const char *kCallTableEnd = "<!-- generated: end -->";

} // namespace chalk::protocol
