import QuiltContract

// MARK: - Model

/// A recorded request, reduced to what replay matches on and a reader needs: no host, sorted query and headers.
package struct FixtureRequest: Sendable, Hashable {
    package var method: String
    /// The percent-encoded path, as sent.
    package var path: String
    /// Decoded query pairs, sorted by name then value.
    package var query: [QueryItem]
    /// Lower-cased names, sorted by name then value.
    package var headers: [HTTPField]
    package var body: [UInt8]

    package init(method: String, path: String, query: [QueryItem], headers: [HTTPField], body: [UInt8]) {
        self.method = method
        self.path = path
        self.query = query.sorted()
        self.headers = FixtureRequest.normalize(headers)
        self.body = body
    }

    /// The request as the replayer and recorder see it.
    package init(_ request: QuiltHTTPRequest) {
        let url = HTTPURL(request.url)
        self.init(
            method: request.method.uppercased(), path: url?.path ?? request.url,
            query: (url?.queryItems ?? []).map { QueryItem($0.name, $0.value) }, headers: request.headers,
            body: request.body)
    }

    /// Lower-cases names and sorts by name, then value.
    package static func normalize(_ headers: [HTTPField]) -> [HTTPField] {
        headers.map { HTTPField($0.name.lowercased(), $0.value) }.sorted {
            $0.name != $1.name ? $0.name < $1.name : $0.value < $1.value
        }
    }

    /// The first value of header `name` (lower-case).
    package func header(_ name: String) -> String? { headers.first { $0.name == name }?.value }
}

/// One decoded query parameter.
package struct QueryItem: Sendable, Hashable, Comparable {
    package var name: String
    package var value: String
    package init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
    package static func < (a: QueryItem, b: QueryItem) -> Bool {
        a.name != b.name ? a.name < b.name : a.value < b.value
    }
}

/// A recorded response.
package struct FixtureResponse: Sendable, Hashable {
    package var status: Int
    /// Lower-cased names, sorted by name then value.
    package var headers: [HTTPField]
    package var body: [UInt8]
    package init(status: Int, headers: [HTTPField], body: [UInt8]) {
        self.status = status
        self.headers = FixtureRequest.normalize(headers)
        self.body = body
    }
    package init(_ response: QuiltHTTPResponse) {
        self.init(status: response.status, headers: response.headers, body: response.body)
    }
    /// The response handed back to a client.
    package var httpResponse: QuiltHTTPResponse { QuiltHTTPResponse(status: status, headers: headers, body: body) }
}

/// One request and the response it got.
package struct FixtureExchange: Sendable, Hashable {
    /// Position in the file (0-based), for humans and error messages.
    package var seq: Int
    /// What the client was doing (`PutObject`); part of matching when both sides name it.
    package var operation: String?
    package var request: FixtureRequest
    package var response: FixtureResponse
    package init(seq: Int, operation: String?, request: FixtureRequest, response: FixtureResponse) {
        self.seq = seq
        self.operation = operation
        self.request = request
        self.response = response
    }
}

/// One backend × scenario recording: `Fixtures/<backend>/<scenario>.json`.
package struct Fixture: Sendable, Hashable {
    /// The format tag written in every file; older or newer tags are refused with the re-record command.
    package static let format = "quilt-fixture/1"
    package var backend: String
    package var scenario: String
    /// When it was recorded (ISO-8601 UTC, whole seconds): replay signs and timestamps with this instant.
    package var recordedAt: String
    /// Facts replay must reproduce (endpoint placeholder, region, addressing, bucket…), as text.
    package var target: [String: String]
    /// The exact command that re-records this file.
    package var rerecord: String
    package var exchanges: [FixtureExchange]

    package init(
        backend: String, scenario: String, recordedAt: String, target: [String: String], rerecord: String,
        exchanges: [FixtureExchange]
    ) {
        self.backend = backend
        self.scenario = scenario
        self.recordedAt = recordedAt
        self.target = target
        self.rerecord = rerecord
        self.exchanges = exchanges
    }
}

/// A fixture file that cannot be used.
package struct FixtureError: Error, Sendable, CustomStringConvertible {
    package var message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}
