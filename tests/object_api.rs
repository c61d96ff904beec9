//! The generated object API and verifier: every table packs and unpacks losslessly, and the
//! verifier enforces `(required)`.

use flatbuffers::FlatBufferBuilder;
use nanoipc::schema::*;

fn pack_unpack(env: &EnvelopeT) -> EnvelopeT {
    let mut fbb = FlatBufferBuilder::new();
    let root = env.pack(&mut fbb);
    finish_envelope_buffer(&mut fbb, root);
    root_as_envelope(fbb.finished_data())
        .expect("verifies")
        .unpack()
}

fn block_state() -> BlockStateT {
    BlockStateT {
        hash: Some("H".into()),
        account: Some("A".into()),
        previous: Some(String::new()),
        representative: Some("R".into()),
        balance: Some("340282366920938463463374607431768211455".into()),
        link: Some("L".into()),
        link_as_account: Some("LA".into()),
        signature: Some("S".into()),
        work: Some("W".into()),
        subtype: BlockSubType::epoch,
    }
}

#[test]
fn every_message_round_trips_through_the_object_api() {
    let messages = vec![
        MessageT::Error(Box::new(ErrorT {
            code: i32::MIN,
            category: i32::MAX,
            message: Some("é".into()),
        })),
        MessageT::Success(Box::new(SuccessT { message: None })),
        MessageT::IsAlive(Box::default()),
        MessageT::EventAck(Box::default()),
        MessageT::BlockInfo(Box::new(BlockInfoT {
            block: BlockT::BlockState(Box::new(block_state())),
            account: Some("nano_a".into()),
            amount: Some("1".into()),
            balance: Some("2".into()),
            height: 3,
            local_timestamp: u64::MAX,
            successor: Some("s".into()),
            confirmed: true,
            subtype: BlockSubType::send,
            receivable: true,
            receive_hash: Some("r".into()),
            source_account: Some("0".into()),
        })),
        MessageT::BlockInfo(Box::new(BlockInfoT {
            block: BlockT::BlockOpen(Box::new(BlockOpenT {
                hash: Some("h".into()),
                ..Default::default()
            })),
            ..Default::default()
        })),
        MessageT::BlockInfo(Box::new(BlockInfoT {
            block: BlockT::BlockReceive(Box::default()),
            ..Default::default()
        })),
        MessageT::BlockInfo(Box::new(BlockInfoT {
            block: BlockT::BlockSend(Box::default()),
            ..Default::default()
        })),
        MessageT::BlockInfo(Box::new(BlockInfoT {
            block: BlockT::BlockChange(Box::default()),
            ..Default::default()
        })),
        MessageT::AccountWeight(Box::new(AccountWeightT {
            account: "nano_x".into(),
        })),
        MessageT::AccountWeightResponse(Box::new(AccountWeightResponseT {
            voting_weight: "0".into(),
        })),
        MessageT::TopicConfirmation(Box::new(TopicConfirmationT {
            unsubscribe: true,
            options: Some(Box::new(TopicConfirmationOptionsT {
                confirmation_type_filter: TopicConfirmationTypeFilter::inactive,
                all_local_accounts: true,
                accounts: Some(vec!["a".into(), String::new()]),
                include_block: false,
                include_election_info: true,
            })),
        })),
        MessageT::EventConfirmation(Box::new(EventConfirmationT {
            confirmation_type: TopicConfirmationType::active_confirmation_height,
            account: Some("a".into()),
            amount: None,
            hash: Some("h".into()),
            block: BlockT::BlockState(Box::new(block_state())),
            election_info: Some(Box::new(ElectionInfoT {
                duration: u64::MAX,
                time: 1,
                tally: Some("1".into()),
                request_count: 2,
                block_count: 3,
                voter_count: 4,
            })),
        })),
        MessageT::ServiceRegister(Box::new(ServiceRegisterT {
            service_name: Some("s".into()),
        })),
        MessageT::ServiceStop(Box::new(ServiceStopT {
            service_name: "s".into(),
            restart: true,
        })),
        MessageT::TopicServiceStop(Box::new(TopicServiceStopT { unsubscribe: true })),
        MessageT::EventServiceStop(Box::default()),
        MessageT::NONE,
    ];
    for message in messages {
        let env = EnvelopeT {
            time: u64::MAX,
            credentials: Some("k".into()),
            correlation_id: Some("c".into()),
            message,
        };
        assert_eq!(pack_unpack(&env), env);
    }
}

#[test]
fn defaults_come_from_the_schema() {
    let o = TopicConfirmationOptionsT::default();
    assert!(o.include_block && o.include_election_info && !o.all_local_accounts);
    assert_eq!(o.confirmation_type_filter, TopicConfirmationTypeFilter::all);
    assert_eq!(BlockSubType::ENUM_VALUES.len(), 5);
    assert_eq!(BlockSubType::epoch.variant_name(), Some("epoch"));
    assert_eq!(BlockSubType(9).variant_name(), None);
    assert_eq!(format!("{:?}", BlockSubType(9)), "<UNKNOWN 9>");
    assert_eq!(FLATBUFFERS_RUNTIME_VERSION, "25.12.19");
}

#[test]
fn verifier_enforces_required_fields() {
    let mut fbb = FlatBufferBuilder::new();
    let aw = AccountWeight::create(&mut fbb, &AccountWeightArgs { account: None });
    let env = Envelope::create(
        &mut fbb,
        &EnvelopeArgs {
            message_type: Message::AccountWeight,
            message: Some(aw.as_union_value()),
            ..Default::default()
        },
    );
    finish_envelope_buffer(&mut fbb, env);
    let err = root_as_envelope(fbb.finished_data()).unwrap_err();
    assert!(err.to_string().contains("account"), "{err}");

    // A union tag without its value is inconsistent.
    let mut fbb = FlatBufferBuilder::new();
    let env = Envelope::create(
        &mut fbb,
        &EnvelopeArgs {
            message_type: Message::IsAlive,
            message: None,
            ..Default::default()
        },
    );
    finish_envelope_buffer(&mut fbb, env);
    assert!(root_as_envelope(fbb.finished_data()).is_err());
}

#[test]
fn verifier_rejects_garbage_without_panicking() {
    for len in 0..64usize {
        let buf: Vec<u8> = (0..len).map(|i| (i * 37 + len) as u8).collect();
        let _ = root_as_envelope(&buf);
    }
    let opts = flatbuffers::VerifierOptions {
        max_depth: 2,
        ..Default::default()
    };
    let buf = json::envelope_from_json(
        r#"{"message_type":"EventConfirmation","message":{"election_info":{"tally":"1"}}}"#,
        &JsonOptions::default(),
    )
    .unwrap();
    assert!(root_as_envelope_with_opts(&opts, &buf).is_err());
    assert!(root_as_envelope(&buf).is_ok());
}
