// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// TemplateDecoder: walks the new message and the template's bytes side by side. Strings, byte
// strings and the heads of maps and arrays must be the same bytes; a number, boolean or null
// that differs is decoded (as fromCbor() would) and written over the template's element (a map
// key that differs counts as another shape: QCborMap cannot replace one). Anything else
// (tags, indefinite lengths, a string that differs) falls back to MessageDecoder, whose result
// becomes the next template.
#include "channel/templatedecoder.h"

#include "channel/messagedecoder.h"

#include <QCborArray>
#include <QCborMap>
#include <QVarLengthArray>

#include <cstring>
#include <utility>

namespace LibCluster::Internal {

namespace {

// Deeper values are decoded afresh (MessageDecoder has the same limit).
constexpr int MaxDepth = 64;

enum class Match {
    Different, // not the template's shape: decode afresh
    Same, // the same bytes as the template's
    Patched, // the template's shape, with other scalars: the value is given
};

// Elements that differ from the template's, by index (a map counts keys and values).
using Patches = QVarLengthArray<std::pair<qsizetype, QCborValue>, 4>;

// Most spans compared are a head of 1 to 9 bytes or a short map key, where a call to memcmp
// costs more than the comparison.
inline bool equalBytes(const uchar *a, const uchar *b, size_t size)
{
    if (size > 16)
        return std::memcmp(a, b, size) == 0;
    for (size_t i = 0; i < size; ++i)
        if (a[i] != b[i])
            return false;
    return true;
}

// A head, and where its bytes begin (heads are compared byte for byte).
struct Head : MessageDecoder::Head
{
    const uchar *begin;
};

class Comparer
{
public:
    Comparer(const QByteArray &message, const QByteArray &templateBytes)
        : m_pos(reinterpret_cast<const uchar *>(message.constData()))
        , m_end(m_pos + message.size())
        , m_tpos(reinterpret_cast<const uchar *>(templateBytes.constData()))
        , m_tend(m_tpos + templateBytes.size())
    { }

    // The whole message against the whole template, `value`: on Match::Patched, `patches` holds
    // the elements of the top-level container that differ (the caller decides how to apply them).
    Match compare(const QCborValue &value, Patches *patches)
    {
        Head head;
        Head templateHead;
        if (!readHead(&m_pos, m_end, &head) || !readHead(&m_tpos, m_tend, &templateHead)
            || !sameHead(head, m_pos, templateHead, m_tpos) || (head.major != 4 && head.major != 5))
            return Match::Different;
        const Match match = body(value, head, patches, 0);
        if (m_pos != m_end || m_tpos != m_tend)
            return Match::Different;
        return match;
    }

    // `container` (an array or a map) with `patches` written over its elements; detaches it only
    // if it is shared.
    static void apply(QCborValue &container, Patches &patches)
    {
        if (container.isArray()) {
            QCborArray array = container.toArray();
            container = QCborValue(); // so that the array may be the only owner
            for (auto &[index, patch] : patches)
                array[index] = std::move(patch);
            container = std::move(array);
        } else {
            QCborMap map = container.toMap();
            container = QCborValue();
            const QCborMap::iterator begin = map.begin(); // detaches at most once
            for (auto &[index, patch] : patches) {
                auto entry = *(begin + index / 2);
                entry.second = std::move(patch);
            }
            container = std::move(map);
        }
    }

private:
    // The items of a map or an array whose head (the same in both) has just been read;
    // `value` is the template's container. On Match::Patched, `patches` holds what differs.
    Match body(const QCborValue &value, const Head &head, Patches *patches, int depth)
    {
        if (depth >= MaxDepth)
            return Match::Different;
        const quint64 items = head.major == 5 ? 2 * head.argument : head.argument;
        for (quint64 i = 0; i < items; ++i) {
            QCborValue patch;
            switch (item(value, qsizetype(i), &patch, depth)) {
            case Match::Different:
                return Match::Different;
            case Match::Same:
                break;
            case Match::Patched:
                // QCborMap gives no way to replace a key in place.
                if (head.major == 5 && i % 2 == 0)
                    return Match::Different;
                patches->append({ qsizetype(i), std::move(patch) });
                break;
            }
        }
        return patches->isEmpty() ? Match::Same : Match::Patched;
    }

    // The next item of both; `container` holds the template's, at `index`.
    Match item(const QCborValue &container, qsizetype index, QCborValue *patch, int depth)
    {
        Head head;
        Head templateHead;
        const uchar *headEnd = m_pos;
        const uchar *templateHeadEnd = m_tpos;
        if (!readHead(&headEnd, m_end, &head) || !readHead(&templateHeadEnd, m_tend, &templateHead))
            return Match::Different;
        if (isScalar(head.major)) {
            if (!isScalar(templateHead.major))
                return Match::Different;
            const bool same = sameHead(head, headEnd, templateHead, templateHeadEnd);
            m_pos = headEnd;
            m_tpos = templateHeadEnd;
            if (same)
                return Match::Same;
            return MessageDecoder::scalarValue(head, patch) ? Match::Patched : Match::Different;
        }
        if (!sameHead(head, headEnd, templateHead, templateHeadEnd))
            return Match::Different;
        m_pos = headEnd;
        m_tpos = templateHeadEnd;
        switch (head.major) {
        case 2: // byte string
        case 3: // text string: the template's was valid UTF-8, so the same bytes are too
            if (head.argument > quint64(m_end - m_pos) || head.argument > quint64(m_tend - m_tpos)
                || !equalBytes(m_pos, m_tpos, size_t(head.argument)))
                return Match::Different;
            m_pos += head.argument;
            m_tpos += head.argument;
            return Match::Same;
        case 4:
        case 5: {
            QCborValue inner = element(container, index);
            Patches patches;
            const Match match = body(inner, head, &patches, depth + 1);
            if (match == Match::Patched) {
                // A copy: the template still holds this container.
                apply(inner, patches);
                *patch = std::move(inner);
            }
            return match;
        }
        default: // tags
            return Match::Different;
        }
    }

    static QCborValue element(const QCborValue &container, qsizetype index)
    {
        if (container.isArray())
            return container.toArray().at(index);
        const QCborMap map = container.toMap();
        const auto entry = *(map.constBegin() + index / 2);
        return index % 2 ? QCborValue(entry.second) : QCborValue(entry.first);
    }

    static bool isScalar(quint8 major) { return major == 0 || major == 1 || major == 7; }

    static bool sameHead(const Head &a, const uchar *aEnd, const Head &b, const uchar *bEnd)
    {
        return aEnd - a.begin == bEnd - b.begin
            && equalBytes(a.begin, b.begin, size_t(aEnd - a.begin));
    }

    // MessageDecoder::readHead(), keeping where the head begins.
    static bool readHead(const uchar **pos, const uchar *end, Head *head)
    {
        head->begin = *pos;
        return MessageDecoder::readHead(pos, end, head);
    }

    const uchar *m_pos;
    const uchar *m_end;
    const uchar *m_tpos;
    const uchar *m_tend;
};

} // namespace

QCborValue TemplateDecoder::decode(const QByteArray &cbor, QCborParserError *error)
{
    if (!m_value.isUndefined() && cbor.size() <= MaxTemplateSize) {
        Match match = Match::Same;
        Patches patches;
        if (cbor.size() != m_bytes.size()
            || std::memcmp(cbor.constData(), m_bytes.constData(), size_t(cbor.size())) != 0)
            match = Comparer(cbor, m_bytes).compare(m_value, &patches);
        if (match != Match::Different) {
            if (match == Match::Patched) {
                // The template becomes this message. Its container is written in place when no
                // receiver kept the previous message (the usual case), and copied otherwise.
                Comparer::apply(m_value, patches);
                keepBytes(cbor);
            }
            if (error)
                *error = QCborParserError { 0, QCborError { QCborError::NoError } };
            return m_value;
        }
    }
    QCborParserError parseError;
    QCborValue value = MessageDecoder::decode(cbor, &parseError);
    if (parseError.error == QCborError::NoError && cbor.size() <= MaxTemplateSize
        && (value.isMap() || value.isArray())) {
        keepBytes(cbor);
        m_value = value;
    }
    if (error)
        *error = parseError;
    return value;
}

void TemplateDecoder::keepBytes(const QByteArray &cbor)
{
    // Keeps the buffer's capacity from one template to the next.
    m_bytes.resize(cbor.size());
    std::memcpy(m_bytes.data(), cbor.constData(), size_t(cbor.size()));
}

} // namespace LibCluster::Internal
