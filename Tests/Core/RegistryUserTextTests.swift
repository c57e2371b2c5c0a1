import QuiltContract
import Testing

/// One reading of a registry as people write it, shared by the tools' `registry` argument and `--registry`.
@Suite("RegistryURL.userText: URLs and bare bucket names")
struct RegistryUserTextTests {
    @Test("A bare bucket name is S3; URLs are read as themselves",
          arguments: [("my-bucket", "s3://my-bucket"), ("s3://bkt", "s3://bkt"), ("file:///srv/r", "file:///srv/r"), ("memory://m", "memory://m")])
    func accepted(text: String, url: String) throws {
        #expect(try RegistryURL.userText(text).url == url)
    }

    @Test("A local path names the file:// form; a word with a slash is neither; errors name the caller's field",
          arguments: [("/srv/registry", "is a local path"), ("./r", "is a local path"), ("~/r", "is a local path"),
                      ("team/registry", "neither a registry URL nor an S3 bucket name"), ("s3://bkt/p", "has a path")])
    func refused(text: String, reason: String) {
        do {
            _ = try RegistryURL.userText(text, field: "bucket")
            Issue.record("\(text) was accepted")
        } catch {
            guard case .invalidInput(let field, let why) = error else { Issue.record("\(error)"); return }
            #expect(field == "bucket" && why.contains(reason), "\(why)")
        }
    }
}
