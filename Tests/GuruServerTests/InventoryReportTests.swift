import Foundation
import GuruStore
import Testing
@testable import GuruServer

@Suite("Inventory reports and subnets")
struct InventoryReportTests {
    static let full = """
    {"hostname":" PC-1 ","os":{"name":"Debian GNU/Linux 12","version":"12","build":"6.1.0","installDate":1700000000},
     "hardware":{"manufacturer":"LENOVO","model":"20XW","serial":"PF3ABC","serviceTag":"PF3ABC"},
     "cpu":{"model":"AMD Ryzen 7"},"memory":{"totalBytes":1024},
     "network":[{"name":"eth0","mac":"AA:BB:CC:DD:EE:FF","addresses":["2001:db8::5/64","10.0.0.5/24"]},
                {"name":"eth1","mac":"aa:bb:cc:dd:ee:ff","addresses":["10.0.0.5/24"]}],
     "user":{"name":"ann","idleSeconds":3},"bootTime":1701000000,"future":{"ignored":true},
     "metadata":{"company":"ACG","site":"","deviceType":"Laptop","properties":{"Asset":"7"}}}
    """

    func report(_ text: String) throws(InventoryReport.Failure) -> InventoryReport {
        try InventoryReport(json: Array(text.utf8), externalIP: "203.0.113.9", at: Date(timeIntervalSince1970: 5))
    }

    @Test func aFullReportFillsEveryColumn() throws {
        let r = try report(Self.full)
        let i = r.inventory
        #expect(i.hostname == "PC-1")
        #expect(i.osName == "Debian GNU/Linux 12" && i.osBuild == "6.1.0")
        #expect(i.osInstalledAt == Date(timeIntervalSince1970: 1_700_000_000))
        #expect(i.serial == "PF3ABC" && i.manufacturer == "LENOVO" && i.cpu == "AMD Ryzen 7" && i.ramBytes == 1024)
        #expect(i.internalIPs == ["10.0.0.5", "2001:db8::5"])  // IPv4 first, each once
        #expect(i.macs == ["aa:bb:cc:dd:ee:ff"])
        #expect(i.externalIP == "203.0.113.9" && i.loggedOnUser == "ann" && i.idleSeconds == 3)
        #expect(i.reportedAt == Date(timeIntervalSince1970: 5))
        let stored = MachineMetadata(name: "Kept", company: "Old", site: "Phoenix", tag: "VIP")
        let applied = try r.metadata.applied(to: stored)
        #expect(applied == MachineMetadata(name: "Kept", company: "ACG", site: nil, deviceType: .laptop, tag: "VIP", properties: ["Asset": "7"]))
        #expect(applied.changedFields(from: stored) == ["company", "site", "deviceType", "properties"])
    }

    @Test(arguments: [
        (#"{"os":{}}"#, InventoryReport.Failure.missingHostname),
        (#"{"hostname":"  "}"#, .missingHostname),
        ("[1,2]", .malformedJSON),
        (#"{"hostname":5}"#, .malformedJSON),
        (#"{"hostname":"\#(String(repeating: "é", count: 256))"}"#, .tooLong(field: "hostname")),
        (#"{"hostname":"a","network":[{"mac":"aa:bb:cc:dd:ee"}]}"#, .invalid(field: "network.mac")),
        (#"{"hostname":"a","network":[{"addresses":["10.0.0.1/33"]}]}"#, .invalid(field: "network.addresses")),
        (#"{"hostname":"a","bootTime":99999999999}"#, .invalid(field: "bootTime")),
        (#"{"hostname":"a","memory":{"totalBytes":-1}}"#, .invalid(field: "memory.totalBytes")),
        (#"{"hostname":"a","metadata":{"properties":{"":"x"}}}"#, .invalid(field: "metadata.properties")),
    ])
    func aReportThatBreaksABoundIsRefusedWhole(_ json: String, _ failure: InventoryReport.Failure) {
        #expect(throws: failure) { _ = try report(json) }
    }

    @Test func tooManyEntriesAreRefused() {
        let adapters = Array(repeating: #"{"name":"e"}"#, count: 65).joined(separator: ",")
        #expect(throws: InventoryReport.Failure.tooMany(field: "network")) { _ = try report(#"{"hostname":"a","network":[\#(adapters)]}"#) }
        let properties = (0..<65).map { #""p\#($0)":"v""# }.joined(separator: ",")
        #expect(throws: InventoryReport.Failure.tooMany(field: "metadata.properties")) {
            _ = try report(#"{"hostname":"a","metadata":{"properties":{\#(properties)}}}"#)
        }
    }

    @Test func anUnknownDeviceTypeIsRefusedWhenApplied() throws {
        let r = try report(#"{"hostname":"a","metadata":{"deviceType":"toaster"}}"#)
        #expect(throws: InventoryReport.Failure.invalid(field: "metadata.deviceType")) { _ = try r.metadata.applied(to: MachineMetadata()) }
        // No metadata block at all keeps everything.
        let none = try report(#"{"hostname":"a"}"#)
        let stored = MachineMetadata(company: "C", deviceType: .server)
        #expect(try none.metadata.applied(to: stored) == stored)
    }

    @Test func subnetsHoldTheirAddressesAndKnowTheirBroadcast() throws {
        let lan = try #require(Subnet("192.168.1.45/24"))
        #expect(lan.contains(try #require(Subnet.parse("192.168.1.200"))))
        #expect(!lan.contains(try #require(Subnet.parse("192.168.2.1"))))
        #expect(lan.broadcast == [192, 168, 1, 255])
        #expect(Subnet("10.1.2.3/20")?.broadcast == [10, 1, 15, 255])
        #expect(Subnet("10.0.0.1/31")?.broadcast == nil)
        #expect(Subnet("10.0.0.1")?.prefix == 32)
        let v6 = try #require(Subnet("2001:db8::5/64"))
        #expect(v6.contains(try #require(Subnet.parse("2001:db8::ffff"))) && v6.broadcast == nil)
        #expect(!lan.contains(try #require(Subnet.parse("2001:db8::ffff"))))
        #expect(Subnet("127.0.0.1/8")?.isLoopback == true && Subnet("::1/128")?.isLoopback == true)
        for bad in ["", "1.2.3", "1.2.3.4/", "1.2.3.4/x", "::1/129", "host/24"] { #expect(Subnet(bad) == nil, "\(bad)") }
    }
}
