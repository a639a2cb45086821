// libFuzzer target: the server's entry point for every incoming text frame.
// Property: whatever decodeCall accepts, re-encoded and validated again, is still the same
// valid call -- so the normalised payload a handler reads is stable (validation is idempotent).
#include "fuzz_support.h"
#include "protocol/codec.h"

#include <QJsonParseError>

using namespace chalk::protocol;
using chalk::fuzz::compact;
using chalk::fuzz::fail;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const Limits limits;
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    const Decoded decoded = decodeCall(input, limits);

    if (const auto *error = std::get_if<CallError>(&decoded)) {
        // Every refusal must be answerable: a well-formed error envelope with a detail.
        const auto env = decodeEnvelope(error->encode());
        if (!env || env->type != Type::Error || env->message != name(error->error))
            fail("an error must encode to a decodable error envelope", error->encode());
        if (error->detail.isEmpty())
            fail("an error must carry a detail", error->encode());
        return 0;
    }

    const CallRequest &request = std::get<CallRequest>(decoded);
    const QByteArray again = encodeCall(request.call, request.payload);
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(again, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        fail("a re-encoded call must be valid JSON", again);

    const Decoded second = validateCall(doc.object(), limits);
    const auto *request2 = std::get_if<CallRequest>(&second);
    if (!request2)
        fail("a re-encoded valid call must validate again",
             again + "\n-> " + std::get<CallError>(second).encode());
    if (request2->call != request.call || request2->clientId != request.clientId)
        fail("re-validation must give the same call and client_id", again);
    if (request2->payload != request.payload)
        fail("validation must be idempotent (same normalised payload)",
             compact(request.payload) + "\n-> " + compact(request2->payload));
    return 0;
}
